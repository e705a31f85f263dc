package dev.tandem.aws.store;

import dev.tandem.contact.Channel;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.ingest.Engagement;
import dev.tandem.ingest.ProfileChange;
import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.TriggerWork;
import dev.tandem.ingest.Unmatched;
import dev.tandem.port.ContactStore;
import dev.tandem.port.EngagementStore;
import dev.tandem.timeline.TimelineEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static dev.tandem.aws.store.AttributeValues.m;
import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;
import static dev.tandem.aws.store.DynamoContactStore.key;

/**
 * Ingestion's side of the table. An engagement is one write request: a conditional put of the event when
 * it stands alone, else one transaction with its profile change, due work, lookup and campaign counter.
 */
public final class DynamoEngagementStore implements EngagementStore {
    /** How long a notification no contact matched is kept: long enough to look into, short enough to hold little. */
    static final java.time.Duration UNMATCHED_RETENTION = java.time.Duration.ofDays(30);

    private final DynamoDbClient db;
    private final StoreConfig config;
    private final DynamoContactStore contacts;

    public DynamoEngagementStore(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
        this.contacts = new DynamoContactStore(db, config);
    }

    @Override
    public Optional<String> contactByEmail(String email) {
        return lookup(Keys.email(email));
    }

    @Override
    public Optional<String> contactByPhone(String phone) {
        return lookup(Keys.phone(phone));
    }

    private Optional<String> lookup(String pk) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).key(key(pk, Keys.LOOKUP))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(string(item, "contactId"));
    }

    @Override
    public Optional<SentMessage> sentMessage(String messageId) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table())
                .key(key(Keys.message(messageId), Keys.LOOKUP))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SentMessage(messageId, string(item, "contactId"),
                Channel.parse("channel", string(item, "channel")), string(item, "campaign"), string(item, "step")));
    }

    @Override
    public Optional<ContactStore.ContactView> view(String contactId, Instant since, int newest) {
        return contacts.view(contactId, since, newest);
    }

    /** How long a provider's engagement took to reach the timeline, for the IngestionAge metric (not our own sends). */
    private static void ingested(TimelineEvent event) {
        if (!event.type().endsWith(".sent")) {
            event.channel().ifPresent(c -> dev.tandem.aws.Funnel.ingested(c.wire(), event.at()));
        }
    }

    private void count(TimelineEvent event, String counter) {
        Map<String, Long> add = new java.util.TreeMap<>();
        CampaignStats.keyed(counter, event.step(), event.at()).forEach(k -> add.put(k, 1L));
        RunItems.count(event.campaign(), event.contactId(), add, config).forEach(u -> Writes.count(db, u));
        dev.tandem.aws.Funnel.counted(event.campaign(), Map.of(counter, 1L));
    }

    @Override
    public Recorded record(Engagement e) {
        TimelineEvent event = e.event();
        Map<String, AttributeValue> eventItem = EventItems.toItem(event, config.retention());
        if (e.lookup() != null) {
            eventItem.put(DynamoContactStore.REFS, AttributeValues.of(List.of(Keys.message(e.lookup().messageId()))));
        }
        Optional<String> counter = CampaignStats.counterOf(event);
        boolean alone = e.change() == null && e.work().isEmpty() && e.lookup() == null && !e.guarded() && e.contactVerified();
        if (alone) {
            try {
                db.putItem(r -> r.tableName(config.table()).item(eventItem).conditionExpression("attribute_not_exists(PK)"));
            } catch (ConditionalCheckFailedException ex) {
                return Recorded.DUPLICATE;
            }
            counter.ifPresent(c -> count(event, c));
            ingested(event);
            return Recorded.ADDED;
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(putIfAbsent(eventItem));
        int duplicateUpTo = 1;
        if (e.guarded()) {
            Map<String, AttributeValue> guard = key(Keys.contact(event.contactId()), Keys.guard(event.eventId()));
            guard.put(Keys.TYPE, s("guard"));
            guard.put(Keys.EXPIRES_AT, n(EventItems.expiry(event.at(), config.retention())));
            writes.add(putIfAbsent(guard));
            duplicateUpTo = 2;
        }
        int contactAt = writes.size();
        if (e.change() != null) {
            writes.add(TransactWriteItem.builder().update(profileChange(event.contactId(), e.change(), event.at())).build());
        } else if (!e.contactVerified()) {
            writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                    .tableName(config.table())
                    .key(key(Keys.contact(event.contactId()), Keys.PROFILE))
                    .conditionExpression("attribute_exists(PK)").build()).build());
        } else {
            contactAt = -1;
        }
        for (TriggerWork w : e.work()) {
            writes.add(putIfAbsent(RunItems.trigger(event.contactId(), w, config)));
        }
        if (e.change() != null) {
            // The consent history line of the change, in the same write: kept beyond the event's retention.
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(config.table())
                    .item(ContactItems.historyItem(event.contactId(), e.change().entry(event.messageId()))).build()).build());
        }
        if (e.lookup() != null) {
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(config.table())
                    .item(RunItems.messageLookup(e.lookup(), event.at(), config)).build()).build());
        }
        try {
            Writes.transact(db, writes);
            // The campaign counter is a hot item every writer touches: written after, never inside the transaction.
            counter.ifPresent(c -> count(event, c));
            ingested(event);
            return Recorded.ADDED;
        } catch (TransactionCanceledException ex) {
            for (int i = 0; i < duplicateUpTo; i++) {
                if (Transactions.conditionFailed(ex, i)) {
                    return Recorded.DUPLICATE;
                }
            }
            if (contactAt >= 0 && Transactions.conditionFailed(ex, contactAt)) {
                Optional<dev.tandem.contact.Contact> now = e.change() != null && e.change().seen()
                        ? contacts.find(event.contactId()) : Optional.empty();
                if (now.isPresent()) {
                    // The channel moved since it was read: the event lands, the profile follows whichever act is newer.
                    return record(new Engagement(event, e.change().newerThan(now.get()), e.work(), e.lookup(), e.guarded(), true));
                }
                return Recorded.NO_CONTACT;
            }
            for (int i = 0; i < writes.size(); i++) {
                if (Transactions.conditionFailed(ex, i)) {
                    return Recorded.DUPLICATE;
                }
            }
            throw ex;
        }
    }

    private Update profileChange(String contactId, ProfileChange change, Instant at) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        names.put("#ch", change.channel().wire());
        if (change.state() != null) {
            names.put("#states", "states");
            values.put(":st", m(ContactItems.stateValue(change.state())));
            sets.add("#states.#ch = :st");
        }
        if (change.consent() != null) {
            names.put("#consent", "consent");
            values.put(":c", m(ContactItems.consentValue(change.consent())));
            sets.add("#consent.#ch = :c");
        }
        if (change.touchesUpdatedAt()) {
            names.put("#u", "updatedAt");
            values.put(":u", s(at.toString()));
            sets.add("#u = :u");
        }
        List<String> conditions = new ArrayList<>();
        conditions.add("attribute_exists(PK)");
        if (change.seen()) {
            // The change was found newer than the channel as read; another writer moving the channel since refuses it.
            names.put("#at", "at");
            if (change.state() != null) {
                names.put("#states", "states");
                conditions.add(seenAt("#states.#ch.#at", change.seenStateAt(), ":seenState", values));
            }
            if (change.consent() != null) {
                names.put("#consent", "consent");
                conditions.add(seenAt("#consent.#ch.#at", change.seenConsentAt(), ":seenConsent", values));
            }
        }
        return Update.builder()
                .tableName(config.table())
                .key(key(Keys.contact(contactId), Keys.PROFILE))
                .updateExpression("SET " + String.join(", ", sets))
                .conditionExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static String seenAt(String path, Instant seen, String placeholder, Map<String, AttributeValue> values) {
        if (seen == null) {
            return "attribute_not_exists(" + path + ")";
        }
        values.put(placeholder, s(seen.toString()));
        return path + " = " + placeholder;
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return Transactions.put(config.table(), item, Transactions.ABSENT);
    }

    @Override
    public void keepUnmatched(Unmatched u) {
        Map<String, AttributeValue> item = key(Keys.unmatched(u.at()), Keys.time(u.at()) + "#" + u.id());
        item.put(Keys.TYPE, s("unmatched"));
        item.put("source", s(u.source()));
        item.put("reason", s(u.reason()));
        item.put("at", s(u.at().toString()));
        putIf(item, "kind", u.kind());
        putIf(item, "messageId", u.messageId());
        putIf(item, "email", u.email());
        putIf(item, "phone", u.phone());
        putIf(item, "contactId", u.contactId());
        // Listed under what it names, so that erasing that contact erases it too (DynamoContactStore.erase).
        String names = u.email() != null ? Keys.email(u.email()) : u.phone() != null ? Keys.phone(u.phone())
                : u.contactId() != null ? Keys.contact(u.contactId()) : null;
        if (names != null) {
            item.put(Keys.GSI1PK, s(Keys.unmatchedNaming(names)));
            item.put(Keys.GSI1SK, s(Keys.time(u.at()) + "#" + u.id()));
        }
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(u.at(), UNMATCHED_RETENTION)));
        db.putItem(r -> r.tableName(config.table()).item(item));
    }

    private static void putIf(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isBlank()) {
            item.put(name, s(value));
        }
    }
}
