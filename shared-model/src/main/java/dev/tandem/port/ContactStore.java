package dev.tandem.port;

import dev.tandem.contact.Contact;
import dev.tandem.timeline.EventDrafts;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.List;
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
     * Writes {@code next} over {@code previous} (null when creating). Email and phone stay unique across
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

    /** Removes every item of a contact: profile, timeline, lookups, pending work. False when there was none. */
    boolean erase(String contactId);

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
