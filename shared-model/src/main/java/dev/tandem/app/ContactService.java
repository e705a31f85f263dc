package dev.tandem.app;

import dev.tandem.campaign.ContactPolicy;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.ingest.TriggerWork;
import dev.tandem.port.ContactStore;
import dev.tandem.port.ContactStore.ConcurrentChangeException;
import dev.tandem.timeline.EventDrafts;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** The contact routes' use cases: create or update, read, erase, post events. */
public final class ContactService {
    public static final int MAX_PAGE = 100;
    private static final int ATTEMPTS = 3;

    private final ContactStore store;

    public ContactService(ContactStore store) {
        this(store, null);
    }

    /** With the goals that posted events may convert (docs/experiments.md); null for none. */
    public ContactService(ContactStore store, Goals goals) {
        this(store, goals, null);
    }

    /** With the policy whose {@code smsOptInTemplate} a pending SMS consent needs; null to not check it. */
    public ContactService(ContactStore store, Goals goals, Supplier<ContactPolicy> policy) {
        this.store = Objects.requireNonNull(store, "store");
        this.goals = goals;
        this.policy = policy;
    }

    private final Goals goals;
    private final Supplier<ContactPolicy> policy;

    /** Creates or updates a contact from a decoded JSON body. */
    public Contact put(String id, Object body, Instant now) {
        ContactDraft draft = ContactDraft.from(id, body, "api", now);
        for (int attempt = 1; ; attempt++) {
            Contact previous = store.find(id).orElse(null);
            Contact next = draft.applyTo(previous, now);
            if (TriggerWork.smsOptIn(previous, next).isPresent()) {
                checkOptIn(next);
            }
            try {
                store.save(next, previous);
                return next;
            } catch (ConcurrentChangeException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A double opt-in needs a number to ask and the text to ask it with. */
    private void checkOptIn(Contact next) {
        if (next.phone() == null) {
            throw new InvalidInputException("consent.sms", "consent.sms is pending, and the contact has no phone to confirm it");
        }
        if (policy != null && policy.get().smsOptInTemplate() == null) {
            throw new InvalidInputException("consent.sms", "consent.sms pending sends the confirmation "
                    + "request of the policy's smsOptInTemplate, and the policy has none: set it with PUT /policy first");
        }
    }

    public Contact get(String id) {
        Checks.id("id", id);
        return store.find(id).orElseThrow(() -> new NotFoundException("id", "no contact " + id));
    }

    public ContactStore.TimelinePage timeline(String id, Integer limit, String cursor) {
        Checks.id("id", id);
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > MAX_PAGE) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (store.find(id).isEmpty()) {
            throw new NotFoundException("id", "no contact " + id);
        }
        return store.timeline(id, n, cursor);
    }

    public void erase(String id) {
        Checks.id("id", id);
        if (!store.erase(id)) {
            throw new NotFoundException("id", "no contact " + id);
        }
    }

    public List<ContactStore.Appended> post(Object body, Instant now) {
        List<EventDrafts.Posted> posted = EventDrafts.posted(body, now);
        List<TimelineEvent> events = posted.stream().map(EventDrafts.Posted::event).toList();
        Map<String, String> seen = new java.util.HashMap<>();
        for (int i = 0; i < posted.size(); i++) {
            String before = seen.putIfAbsent(events.get(i).eventId(), posted.get(i).fingerprint());
            if (before != null && !before.equals(posted.get(i).fingerprint())) {
                throw new dev.tandem.validation.ConflictException(fieldOf(body, i) + "eventId", "eventId " + events.get(i).eventId()
                        + " names two different events in this batch");
            }
        }
        try {
            List<ContactStore.Appended> appended = store.appendAll(posted, now);
            if (goals != null) {
                // A duplicate too: a request that failed after adding its event and is posted again converts then. The
                // contact's conversion marker makes a second reading count nothing.
                for (TimelineEvent e : events) {
                    if (Goals.candidate(e.type())) {
                        goals.record(e);
                    }
                }
            }
            return appended;
        } catch (ContactStore.UnknownContactException e) {
            throw new InvalidInputException(fieldOf(body, events, e.contactId()), "no contact " + e.contactId());
        }
    }

    /** The body path of the event at {@code index}: nothing for a single event, {@code [2].} or {@code events[2].} in a batch. */
    private static String fieldOf(Object body, int index) {
        if (body instanceof Map<?, ?> map && map.containsKey("eventId")) {
            return "";
        }
        return (body instanceof Map<?, ?> ? "events" : "") + "[" + index + "].";
    }

    /** The body path of the first event naming a contact: {@code contactId}, {@code [2].contactId} or {@code events[2].contactId}. */
    private static String fieldOf(Object body, List<TimelineEvent> events, String contactId) {
        if (body instanceof Map<?, ?> map && map.containsKey("eventId")) {
            return "contactId";
        }
        String prefix = body instanceof Map<?, ?> ? "events" : "";
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contactId().equals(contactId)) {
                return prefix + "[" + i + "].contactId";
            }
        }
        return "contactId";
    }
}
