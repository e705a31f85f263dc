package dev.tandem.testing;

import dev.tandem.ingest.CampaignStats;
import dev.tandem.ingest.Engagement;
import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.TriggerWork;
import dev.tandem.ingest.Unmatched;
import dev.tandem.port.EngagementStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Ingestion's store in memory: the contact store plus lookups, work, counters and the unmatched. */
public class InMemoryEngagementStore extends InMemoryContactStore implements EngagementStore {
    public final Map<String, SentMessage> messages = new HashMap<>();
    public final Map<String, Unmatched> unmatched = new LinkedHashMap<>();
    public final List<TriggerWork> work = new ArrayList<>();
    public final Map<String, Integer> counters = new LinkedHashMap<>();
    private final Set<String> eventIds = new LinkedHashSet<>();
    public int writes;

    @Override
    public synchronized Optional<String> contactByEmail(String email) {
        return Optional.ofNullable(emails.get(email.toLowerCase(Locale.ROOT)));
    }

    @Override
    public synchronized Optional<String> contactByPhone(String phone) {
        return Optional.ofNullable(phones.get(phone));
    }

    @Override
    public synchronized Optional<SentMessage> sentMessage(String messageId) {
        return Optional.ofNullable(messages.get(messageId));
    }

    @Override
    public synchronized Optional<ContactView> view(String contactId, Instant since, int newest) {
        return super.view(contactId, since, newest);
    }

    @Override
    public synchronized Recorded record(Engagement e) {
        writes++;
        if (eventIds.contains(e.event().eventId())) {
            return Recorded.DUPLICATE;
        }
        if (!contacts.containsKey(e.event().contactId())) {
            return Recorded.NO_CONTACT;
        }
        eventIds.add(e.event().eventId());
        add(e.event());
        if (e.change() != null) {
            var c = contacts.get(e.event().contactId());
            java.time.Instant updated = e.change().touchesUpdatedAt() ? e.event().at() : c.updatedAt();
            if (e.change().state() != null) {
                c = c.withState(e.change().channel(), e.change().state(), updated);
            }
            if (e.change().consent() != null) {
                c = c.withConsent(e.change().channel(), e.change().consent(), updated);
            }
            contacts.put(c.id(), c);
            history.computeIfAbsent(c.id(), k -> new java.util.ArrayList<>()).add(e.change().entry(e.event().messageId()));
        }
        work.addAll(e.work());
        if (e.lookup() != null) {
            messages.put(e.lookup().messageId(), e.lookup());
        }
        CampaignStats.counterOf(e.event()).ifPresent(k -> counters.merge(e.event().campaign() + ":" + k, 1, Integer::sum));
        return Recorded.ADDED;
    }

    @Override
    public synchronized void keepUnmatched(Unmatched u) {
        unmatched.put(u.id(), u);
    }
}
