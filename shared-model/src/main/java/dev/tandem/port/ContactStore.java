package dev.tandem.port;

import dev.tandem.contact.Contact;
import dev.tandem.timeline.EventDrafts;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;

import dev.tandem.validation.ConflictException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where contacts and their timelines live. The DynamoDB adapter implements it in {@code functions/};
 * tests use an in-memory one. Nothing outside the adapter knows the key layout.
 */
public interface ContactStore {

    Optional<Contact> find(String contactId);

    /** The profile and its newest events since an instant, at most {@code newest} of them: one read. */
    Optional<ContactView> view(String contactId, Instant since, int newest);

    /**
     * Writes {@code next} over {@code previous} (null when creating), with the consent history lines the change makes
     * and, when it makes a number's SMS consent pending, the run of its confirmation request
     * ({@link dev.tandem.ingest.TriggerWork#smsOptIn}), all in one write. Email and phone stay unique across
     * contacts: a clash throws {@link dev.tandem.validation.ConflictException} naming the field. When the stored
     * profile no longer matches {@code previous}, throws {@link ConcurrentChangeException} and writes nothing.
     */
    void save(Contact next, Contact previous);

    /** A page of the timeline, newest first. {@code cursor} is the {@code next} of the page before, or null. */
    TimelinePage timeline(String contactId, int limit, String cursor);

    /**
     * Appends events posted by an upstream system, all or nothing, idempotent on event id. Every contact
     * named must exist, else {@link UnknownContactException} and nothing is written. An event id posted before with
     * another fingerprint (a different event reusing the id) throws {@link dev.tandem.validation.ConflictException}.
     */
    List<Appended> appendAll(List<EventDrafts.Posted> events, Instant now);

    /**
     * The contact's consent history, oldest first: every change of consent a save or a provider's act made, kept as long
     * as the contact (a save writes its lines with the profile: {@link dev.tandem.contact.ConsentEntry#between}).
     */
    List<dev.tandem.contact.ConsentEntry> consentHistory(String contactId);

    /** Removes every item of a contact: profile, timeline, lookups, pending work. False when there was none. */
    boolean erase(String contactId);

    /** The profiles of those of these contacts that exist, by id. A store may read them many to a request. */
    default Map<String, Contact> findAll(Collection<String> contactIds) {
        Map<String, Contact> out = new HashMap<>();
        for (String id : contactIds) {
            find(id).ifPresent(c -> out.put(id, c));
        }
        return out;
    }

    /**
     * Many {@link #save}s, each on its own: one that cannot be written does not stop the others. A store may write them
     * many to a request and side by side, so the saves must touch distinct contacts, addresses and numbers. Answers one
     * outcome per save, in order.
     */
    default List<Saved> saveAll(List<Save> saves) {
        List<Saved> out = new ArrayList<>(saves.size());
        for (Save s : saves) {
            try {
                save(s.next(), s.previous());
                out.add(Saved.SAVED);
            } catch (ConflictException e) {
                out.add(Saved.conflict(e.field(), e.getMessage()));
            } catch (ConcurrentChangeException e) {
                out.add(Saved.CHANGED);
            }
        }
        return out;
    }

    /** A contact to write over the one read before it (null when creating). */
    record Save(Contact next, Contact previous) {
    }

    /**
     * What became of one save: written; refused because an address or number belongs to another contact (the field
     * and why); or not written because the stored profile no longer matched the one read.
     */
    record Saved(Outcome outcome, String field, String error) {
        public static final Saved SAVED = new Saved(Outcome.SAVED, null, null);
        public static final Saved CHANGED = new Saved(Outcome.CHANGED, null, null);

        public static Saved conflict(String field, String error) {
            return new Saved(Outcome.CONFLICT, field, error);
        }

        public enum Outcome { SAVED, CONFLICT, CHANGED }
    }

    record ContactView(Contact contact, Timeline timeline) {
    }

    record TimelinePage(List<TimelineEvent> items, String next) {
    }

    record Appended(String eventId, boolean added) {
    }

    final class UnknownContactException extends RuntimeException {
        private final String contactId;

        public UnknownContactException(String contactId) {
            super("no contact " + contactId, null, false, false);
            this.contactId = contactId;
        }

        public String contactId() {
            return contactId;
        }
    }

    final class ConcurrentChangeException extends RuntimeException {
        public ConcurrentChangeException(String message) {
            super(message, null, false, false);
        }
    }
}
