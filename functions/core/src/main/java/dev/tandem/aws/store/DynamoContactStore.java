package dev.tandem.aws.store;

import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.port.ContactStore;
import dev.tandem.timeline.EventDrafts;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.ConflictException;
import dev.tandem.validation.InvalidInputException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.tandem.aws.store.AttributeValues.m;
import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;

/** The contact store on one DynamoDB table. Keys come from {@link Keys}; items from their mappers. */
public final class DynamoContactStore implements ContactStore {
    /** Items in other partitions that belong to a contact name their key here, so erasure finds them. */
    static final String REFS = "refs";
    private static final int ATTEMPTS = 3;

    private final DynamoDbClient db;
    private final StoreConfig config;

    public DynamoContactStore(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>(2);
        k.put(Keys.PK, s(pk));
        k.put(Keys.SK, s(sk));
        return k;
    }

    @Override
    public Optional<Contact> find(String contactId) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table())
                .key(key(Keys.contact(contactId), Keys.PROFILE)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ContactItems.fromItem(item));
    }

    @Override
    public Optional<ContactView> view(String contactId, Instant since, int newest) {
        return sendView(contactId, since, newest).map(dev.tandem.port.DecisionStore.SendView::view);
    }

    /**
     * The view with the contact's send guard (its sequence and the send begun last), what keeps two senders from both
     * spending one contact's budget: the guard, the profile and the newest events in one query.
     */
    public Optional<dev.tandem.port.DecisionStore.SendView> sendView(String contactId, Instant since, int newest) {
        QueryResponse r = db.query(QueryRequest.builder()
                .tableName(config.table())
                .keyConditionExpression("PK = :pk AND SK BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(
                        ":pk", s(Keys.contact(contactId)),
                        ":lo", s(Keys.eventsSince(since)),
                        ":hi", s(Keys.SEND_GUARD)))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(newest + 2)
                .build());
        List<Map<String, AttributeValue>> items = r.items();
        int at = 0;
        Map<String, AttributeValue> guard = null;
        if (!items.isEmpty() && Keys.SEND_GUARD.equals(string(items.get(0), Keys.SK))) {
            guard = items.get(0);
            at = 1;
        }
        if (items.size() <= at || !Keys.PROFILE.equals(string(items.get(at), Keys.SK))) {
            return Optional.empty();
        }
        List<TimelineEvent> events = new ArrayList<>(items.size() - at - 1);
        for (int i = at + 1; i < items.size() && events.size() < newest; i++) {
            events.add(EventItems.fromItem(items.get(i)));
        }
        long seq = 0;
        dev.tandem.port.DecisionStore.Pending pending = null;
        if (guard != null) {
            AttributeValue sv = guard.get("seq");
            seq = sv == null ? 0 : Long.parseLong(sv.n());
            AttributeValue p = guard.get("pending");
            if (p != null && p.hasM()) {
                pending = new dev.tandem.port.DecisionStore.Pending(string(p.m(), "token"), string(p.m(), "eventId"),
                        Instant.parse(string(p.m(), "at")), string(p.m(), "attempt"));
            }
        }
        return Optional.of(new dev.tandem.port.DecisionStore.SendView(
                new ContactView(ContactItems.fromItem(items.get(at)), Timeline.of(events)), seq, pending));
    }

    @Override
    public void save(Contact next, Contact previous) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(profileUpdate(next, previous)).build());
        int emailAt = moveLookup(writes, next.email() == null ? null : Keys.email(next.email()),
                previous == null || previous.email() == null ? null : Keys.email(previous.email()), next.id());
        int phoneAt = moveLookup(writes, next.phone() == null ? null : Keys.phone(next.phone()),
                previous == null || previous.phone() == null ? null : Keys.phone(previous.phone()), next.id());
        try {
            db.transactWriteItems(r -> r.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (emailAt >= 0 && Transactions.conditionFailed(e, emailAt)) {
                throw new ConflictException("email", "email already belongs to another contact");
            }
            if (phoneAt >= 0 && Transactions.conditionFailed(e, phoneAt)) {
                throw new ConflictException("phone", "phone already belongs to another contact");
            }
            throw new ConcurrentChangeException("contact " + next.id() + " changed while it was being written");
        }
    }

    private Update profileUpdate(Contact next, Contact previous) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : ContactItems.ownedByCaller(next).entrySet()) {
            String name = "#a" + i;
            names.put(name, e.getKey());
            if (e.getValue() == null) {
                removes.add(name);
            } else {
                sets.add(name + " = :a" + i);
                values.put(":a" + i, e.getValue());
            }
            i++;
        }
        if (previous == null) {
            names.put("#type", Keys.TYPE);
            names.put("#id", "id");
            names.put("#consent", "consent");
            names.put("#states", "states");
            names.put("#created", "createdAt");
            names.put("#g1pk", Keys.GSI1PK);
            names.put("#g1sk", Keys.GSI1SK);
            values.put(":type", s(ContactItems.TYPE));
            values.put(":id", s(next.id()));
            values.put(":consent", m(ContactItems.consentMap(next.consent())));
            values.put(":states", m(ContactItems.stateMap(next.states())));
            values.put(":created", s(next.createdAt().toString()));
            values.put(":g1pk", s(Keys.audience(next.id(), config.shards())));
            values.put(":g1sk", s(next.id()));
            sets.add("#type = :type, #id = :id, #consent = :consent, #states = :states, #created = :created, "
                    + "#g1pk = :g1pk, #g1sk = :g1sk");
        } else {
            int c = 0;
            for (Map.Entry<Channel, dev.tandem.contact.Consent> e : next.consent().entrySet()) {
                if (!e.getValue().equals(previous.consent().get(e.getKey()))) {
                    names.put("#c" + c, e.getKey().wire());
                    values.put(":c" + c, m(ContactItems.consentValue(e.getValue())));
                    names.put("#consent", "consent");
                    sets.add("#consent.#c" + c + " = :c" + c);
                    c++;
                }
            }
        }
        names.put("#refs", REFS);
        values.put(":refs", lookupRefs(next));
        sets.add("#refs = :refs");
        String condition;
        if (previous == null) {
            condition = "attribute_not_exists(PK)";
        } else {
            names.put("#pe", "email");
            names.put("#pp", "phone");
            condition = "attribute_exists(PK) AND " + unchanged("#pe", ":pe", previous.email(), values)
                    + " AND " + unchanged("#pp", ":pp", previous.phone(), values);
        }
        String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        return Update.builder()
                .tableName(config.table())
                .key(key(Keys.contact(next.id()), Keys.PROFILE))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static String unchanged(String name, String placeholder, String previous, Map<String, AttributeValue> values) {
        if (previous == null) {
            return "attribute_not_exists(" + name + ")";
        }
        values.put(placeholder, s(previous));
        return name + " = " + placeholder;
    }

    private static AttributeValue lookupRefs(Contact c) {
        List<Object> refs = new ArrayList<>();
        if (c.email() != null) {
            refs.add(Keys.email(c.email()));
        }
        if (c.phone() != null) {
            refs.add(Keys.phone(c.phone()));
        }
        return AttributeValues.of(refs);
    }

    /** Claims a new lookup and releases the old one when an address changes; the claim's index, or -1. */
    private int moveLookup(List<TransactWriteItem> writes, String now, String before, String contactId) {
        int at = -1;
        if (now != null && !now.equals(before)) {
            at = writes.size();
            writes.add(claimLookup(now, contactId));
        }
        if (before != null && !before.equals(now)) {
            writes.add(releaseLookup(before, contactId));
        }
        return at;
    }

    private TransactWriteItem claimLookup(String pk, String contactId) {
        Map<String, AttributeValue> item = key(pk, Keys.LOOKUP);
        item.put(Keys.TYPE, s("lookup"));
        item.put("contactId", s(contactId));
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(config.table())
                .item(item)
                .conditionExpression("attribute_not_exists(PK) OR contactId = :id")
                .expressionAttributeValues(Map.of(":id", s(contactId)))
                .build()).build();
    }

    private TransactWriteItem releaseLookup(String pk, String contactId) {
        return TransactWriteItem.builder().delete(Delete.builder()
                .tableName(config.table())
                .key(key(pk, Keys.LOOKUP))
                .conditionExpression("attribute_not_exists(PK) OR contactId = :id")
                .expressionAttributeValues(Map.of(":id", s(contactId)))
                .build()).build();
    }

    @Override
    public TimelinePage timeline(String contactId, int limit, String cursor) {
        QueryRequest.Builder q = QueryRequest.builder()
                .tableName(config.table())
                .keyConditionExpression("PK = :pk AND SK BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(
                        ":pk", s(Keys.contact(contactId)),
                        ":lo", s(Keys.eventsSince(Instant.EPOCH)),
                        ":hi", s(Keys.eventsEnd())))
                .scanIndexForward(false)
                .limit(limit + 1);
        if (cursor != null) {
            q.exclusiveStartKey(key(Keys.contact(contactId), decodeCursor(cursor)));
        }
        List<Map<String, AttributeValue>> items = db.query(q.build()).items();
        List<TimelineEvent> events = new ArrayList<>(Math.min(limit, items.size()));
        for (int i = 0; i < items.size() && i < limit; i++) {
            events.add(EventItems.fromItem(items.get(i)));
        }
        String next = items.size() > limit ? encodeCursor(string(items.get(limit - 1), Keys.SK)) : null;
        return new TimelinePage(events, next);
    }

    private static String encodeCursor(String sk) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sk.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String sk = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            // Only a key inside the timeline's own range: DynamoDB refuses a start key outside the query's bounds.
            if (Keys.isEvent(sk) && sk.length() <= 512 && sk.compareTo(Keys.eventsSince(Instant.EPOCH)) >= 0
                    && sk.compareTo(Keys.eventsEnd()) < 0 && sk.chars().noneMatch(Character::isISOControl)) {
                return sk;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the caller's error
        }
        throw new InvalidInputException("next", "next is not a cursor this API returned");
    }

    @Override
    public List<Appended> appendAll(List<EventDrafts.Posted> posted, Instant now) {
        List<TimelineEvent> events = posted.stream().map(EventDrafts.Posted::event).toList();
        Map<String, String> fingerprints = new HashMap<>();
        posted.forEach(p -> {
            if (p.fingerprint() != null) {
                fingerprints.putIfAbsent(p.event().eventId(), p.fingerprint());
            }
        });
        Map<String, TimelineEvent> pending = new LinkedHashMap<>();
        for (TimelineEvent e : events) {
            pending.putIfAbsent(e.eventId(), e);
        }
        Set<String> duplicates = new LinkedHashSet<>();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<TransactWriteItem> writes = new ArrayList<>();
            List<String> contactAt = new ArrayList<>();
            List<String> guardAt = new ArrayList<>();
            Set<String> contacts = new LinkedHashSet<>();
            pending.values().forEach(e -> contacts.add(e.contactId()));
            for (String c : contacts) {
                writes.add(profileExists(c));
                contactAt.add(c);
                guardAt.add(null);
            }
            for (TimelineEvent e : pending.values()) {
                writes.add(putIfAbsent(guardItem(e, fingerprints.get(e.eventId()))));
                contactAt.add(null);
                guardAt.add(e.eventId());
                writes.add(putIfAbsent(EventItems.toItem(e, config.retention())));
                contactAt.add(null);
                guardAt.add(e.eventId());
            }
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                break;
            } catch (TransactionCanceledException e) {
                for (int i = 0; i < writes.size(); i++) {
                    if (contactAt.get(i) != null && Transactions.conditionFailed(e, i)) {
                        throw new UnknownContactException(contactAt.get(i));
                    }
                }
                boolean progressed = false;
                for (int i = 0; i < writes.size(); i++) {
                    if (guardAt.get(i) != null && Transactions.conditionFailed(e, i)) {
                        duplicates.add(guardAt.get(i));
                        progressed |= pending.remove(guardAt.get(i)) != null;
                    }
                }
                if (!progressed && !(Transactions.conflicted(e) && attempt < ATTEMPTS)) {
                    throw e;
                }
                // Before the rest is written: a reused id refuses the whole request.
                refuseReusedIds(events, duplicates, fingerprints);
            }
        }
        List<Appended> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (TimelineEvent e : events) {
            boolean first = seen.add(e.eventId());
            out.add(new Appended(e.eventId(), first && !duplicates.contains(e.eventId())));
        }
        return out;
    }

    /**
     * An event id seen before is a duplicate when it was posted with the same fingerprint; with another one it is a
     * different event reusing the id: 409, not a silent duplicate. It is checked as soon as a duplicate is found, before
     * the rest of the batch is tried again, so that nothing of the request is written.
     */
    private void refuseReusedIds(List<TimelineEvent> events, Set<String> duplicates, Map<String, String> fingerprints) {
        for (TimelineEvent e : events) {
            String mine = fingerprints.get(e.eventId());
            if (!duplicates.contains(e.eventId()) || mine == null) {
                continue;
            }
            Map<String, AttributeValue> guard = db.getItem(r -> r.tableName(config.table()).consistentRead(true)
                    .key(key(Keys.contact(e.contactId()), Keys.guard(e.eventId())))).item();
            String stored = guard == null ? null : string(guard, "fingerprint");
            if (stored != null && !stored.equals(mine)) {
                throw new ConflictException("eventId", "eventId " + e.eventId() + " was posted before for another event; "
                        + "a new event needs a new eventId");
            }
        }
    }

    private Map<String, AttributeValue> guardItem(TimelineEvent e, String fingerprint) {
        Map<String, AttributeValue> item = key(Keys.contact(e.contactId()), Keys.guard(e.eventId()));
        item.put(Keys.TYPE, s("guard"));
        if (fingerprint != null) {
            item.put("fingerprint", s(fingerprint));
        }
        item.put("eventKey", s(Keys.event(e.at(), e.eventId())));
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(e.at(), config.retention())));
        return item;
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return Transactions.put(config.table(), item, Transactions.ABSENT);
    }

    private TransactWriteItem profileExists(String contactId) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(config.table())
                .key(key(Keys.contact(contactId), Keys.PROFILE))
                .conditionExpression("attribute_exists(PK)")
                .build()).build();
    }

    @Override
    public boolean erase(String contactId) {
        String pk = Keys.contact(contactId);
        Set<String> own = new LinkedHashSet<>();
        Set<String> refs = new LinkedHashSet<>();
        boolean hadProfile = false;
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(config.table())
                    .keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(pk)))
                    .projectionExpression("SK, #refs")
                    .expressionAttributeNames(Map.of("#refs", REFS))
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = db.query(q.build());
            for (Map<String, AttributeValue> item : r.items()) {
                String sk = string(item, Keys.SK);
                own.add(sk);
                hadProfile |= Keys.PROFILE.equals(sk);
                AttributeValue rv = item.get(REFS);
                if (rv != null && rv.hasL()) {
                    rv.l().forEach(v -> refs.add(v.s()));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        List<WriteRequest> deletes = new ArrayList<>();
        // What was kept of notifications no contact matched, naming this contact's address, number or id.
        Set<String> named = new LinkedHashSet<>();
        named.add(pk);
        refs.stream().filter(ref -> ref.startsWith("EMAIL#") || ref.startsWith("PHONE#")).forEach(named::add);
        for (String n : named) {
            unmatchedNaming(n).forEach(k -> deletes.add(delete(k)));
        }
        // Lookups first: a crash midway leaves the profile, so a retried erase still finds them.
        refs.forEach(ref -> deletes.add(delete(key(ref, Keys.LOOKUP))));
        own.stream().filter(sk -> !Keys.PROFILE.equals(sk)).forEach(sk -> deletes.add(delete(key(pk, sk))));
        if (hadProfile) {
            deletes.add(delete(key(pk, Keys.PROFILE)));
        }
        batchWrite(deletes);
        return hadProfile || !own.isEmpty();
    }

    /** The keys of the unmatched notifications that name a key (an address's, a number's or a contact's), on GSI1. */
    private List<Map<String, AttributeValue>> unmatchedNaming(String namedKey) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> i : indexPartition(db, config, Keys.unmatchedNaming(namedKey))) {
            keys.add(key(string(i, Keys.PK), string(i, Keys.SK)));
        }
        return keys;
    }

    /** Every item listed under one GSI1 partition, page after page (the partitions read whole are small). */
    static List<Map<String, AttributeValue>> indexPartition(DynamoDbClient db, StoreConfig config, String gsi1pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(q -> q.tableName(config.table()).indexName(Keys.GSI1)
                    .keyConditionExpression("GSI1PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(gsi1pk)))
                    .exclusiveStartKey(from));
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    /** Writes in chunks of 25 and retries what DynamoDB left unprocessed, with a short backoff. */
    void batchWrite(List<WriteRequest> requests) {
        Writes.batch(db, config.table(), requests);
    }

}
