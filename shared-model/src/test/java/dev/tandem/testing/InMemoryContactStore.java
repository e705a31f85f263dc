package dev.tandem.testing;

import dev.tandem.contact.Contact;
import dev.tandem.port.ContactStore;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.ConflictException;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A contact store in memory, with the same rules as the DynamoDB one, for tests of what sits above it. */
public class InMemoryContactStore implements ContactStore {
    protected final Map<String, Contact> contacts = new LinkedHashMap<>();
    protected final Map<String, List<TimelineEvent>> timelines = new HashMap<>();
    protected final Map<String, String> emails = new HashMap<>();
    protected final Map<String, String> phones = new HashMap<>();
    protected final Set<String> guards = new LinkedHashSet<>();
    protected final Map<String, List<dev.tandem.contact.ConsentEntry>> history = new HashMap<>();
    /** The opt-in confirmation runs saves started, as the DynamoDB store writes them with the profile. */
    public final List<dev.tandem.ingest.TriggerWork> optIns = new ArrayList<>();

    @Override
    public synchronized Optional<Contact> find(String contactId) {
        return Optional.ofNullable(contacts.get(contactId));
    }

    @Override
    public synchronized Optional<ContactView> view(String contactId, Instant since, int newest) {
        Contact c = contacts.get(contactId);
        if (c == null) {
            return Optional.empty();
        }
        List<TimelineEvent> events = timelines.getOrDefault(contactId, List.of()).stream()
                .filter(e -> !e.at().isBefore(since))
                .sorted(Comparator.comparing(TimelineEvent::at).reversed())
                .limit(newest)
                .toList();
        return Optional.of(new ContactView(c, Timeline.of(events)));
    }

    @Override
    public synchronized void save(Contact next, Contact previous) {
        Contact stored = contacts.get(next.id());
        if (previous == null ? stored != null : stored == null
                || !java.util.Objects.equals(stored.email(), previous.email())
                || !java.util.Objects.equals(stored.phone(), previous.phone())) {
            throw new ConcurrentChangeException("changed");
        }
        String email = next.email() == null ? null : next.email().toLowerCase(Locale.ROOT);
        if (email != null && emails.containsKey(email) && !emails.get(email).equals(next.id())) {
            throw new ConflictException("email", "email already belongs to another contact");
        }
        if (next.phone() != null && phones.containsKey(next.phone()) && !phones.get(next.phone()).equals(next.id())) {
            throw new ConflictException("phone", "phone already belongs to another contact");
        }
        if (previous != null && previous.email() != null) {
            emails.remove(previous.email().toLowerCase(Locale.ROOT));
        }
        if (previous != null && previous.phone() != null) {
            phones.remove(previous.phone());
        }
        if (email != null) {
            emails.put(email, next.id());
        }
        if (next.phone() != null) {
            phones.put(next.phone(), next.id());
        }
        Contact merged = stored == null ? next : new Contact(next.id(), next.email(), next.phone(), next.zone(),
                next.consent(), stored.states(), next.attributes(), stored.createdAt(), next.updatedAt(), next.locale());
        contacts.put(next.id(), merged);
        history.computeIfAbsent(next.id(), k -> new ArrayList<>()).addAll(dev.tandem.contact.ConsentEntry.between(stored, next));
        dev.tandem.ingest.TriggerWork.smsOptIn(stored, next).ifPresent(optIns::add);
    }

    @Override
    public synchronized List<dev.tandem.contact.ConsentEntry> consentHistory(String contactId) {
        return history.getOrDefault(contactId, List.of()).stream()
                .sorted(Comparator.comparing(dev.tandem.contact.ConsentEntry::at)).toList();
    }

    @Override
    public synchronized TimelinePage timeline(String contactId, int limit, String cursor) {
        List<TimelineEvent> all = new ArrayList<>(Timeline.of(timelines.getOrDefault(contactId, List.of())).newestFirst());
        int from = 0;
        if (cursor != null) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("next", "next is not a cursor this API returned");
            }
        }
        int to = Math.min(all.size(), from + limit);
        return new TimelinePage(all.subList(Math.min(from, to), to), to < all.size() ? Integer.toString(to) : null);
    }

    private final Map<String, String> fingerprints = new HashMap<>();

    @Override
    public synchronized List<Appended> appendAll(List<dev.tandem.timeline.EventDrafts.Posted> posted, Instant now) {
        for (var p : posted) {
            if (!contacts.containsKey(p.event().contactId())) {
                throw new UnknownContactException(p.event().contactId());
            }
            String before = fingerprints.get(p.event().eventId());
            if (before != null && p.fingerprint() != null && !before.equals(p.fingerprint())) {
                throw new dev.tandem.validation.ConflictException("eventId", "eventId " + p.event().eventId() + " was posted before for another event");
            }
        }
        List<Appended> out = new ArrayList<>();
        for (var p : posted) {
            TimelineEvent e = p.event();
            if (p.fingerprint() != null) {
                fingerprints.putIfAbsent(e.eventId(), p.fingerprint());
            }
            boolean added = guards.add(e.eventId());
            if (added) {
                timelines.computeIfAbsent(e.contactId(), k -> new ArrayList<>()).add(e);
            }
            out.add(new Appended(e.eventId(), added));
        }
        return out;
    }

    @Override
    public synchronized boolean erase(String contactId) {
        Contact c = contacts.remove(contactId);
        timelines.remove(contactId);
        history.remove(contactId);
        emails.values().removeIf(contactId::equals);
        phones.values().removeIf(contactId::equals);
        return c != null;
    }

    /** Adds an event as the providers' path would, for tests that need a timeline. */
    public synchronized void add(TimelineEvent e) {
        timelines.computeIfAbsent(e.contactId(), k -> new ArrayList<>()).add(e);
    }

    public synchronized List<String> ids() {
        return contacts.keySet().stream().sorted().toList();
    }

    public synchronized List<TimelineEvent> events(String contactId) {
        return List.copyOf(timelines.getOrDefault(contactId, List.of()));
    }
}
