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

    /** DynamoDB's limit of keys in one BatchGetItem. */
    static final int BATCH_GET = 100;
    /** Contacts written in one transaction by {@link #saveAll}: up to five writes each, a transaction's limit being 100. */
    static final int SAVES_PER_TRANSACTION = 20;

    private final DynamoDbClient db;
    private final StoreConfig config;
    private final java.util.concurrent.Executor pool;

    /** A store whose {@link #findAll} and {@link #saveAll} send their requests one after the other. */
    public DynamoContactStore(DynamoDbClient db, StoreConfig config) {
        this(db, config, Runnable::run);
    }

    /** A store whose {@link #findAll} and {@link #saveAll} send their requests side by side on {@code pool}. */
    public DynamoContactStore(DynamoDbClient db, StoreConfig config, java.util.concurrent.Executor pool) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
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
        Writing w = writing(next, previous);
        try {
            db.transactWriteItems(r -> r.transactItems(w.items()));
        } catch (TransactionCanceledException e) {
            if (w.emailAt() >= 0 && Transactions.conditionFailed(e, w.emailAt())) {
                throw new ConflictException("email", "email already belongs to another contact");
            }
            if (w.phoneAt() >= 0 && Transactions.conditionFailed(e, w.phoneAt())) {
                throw new ConflictException("phone", "phone already belongs to another contact");
            }
            throw new ConcurrentChangeException("contact " + next.id() + " changed while it was being written");
        }
    }

    /** A save's writes: the profile's conditional update, then the lookups it claims and frees; where each claim sits. */
    private record Writing(List<TransactWriteItem> items, int emailAt, int phoneAt) {
    }

    private Writing writing(Contact next, Contact previous) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(profileUpdate(next, previous)).build());
        int emailAt = moveLookup(writes, next.email() == null ? null : Keys.email(next.email()),
                previous == null || previous.email() == null ? null : Keys.email(previous.email()), next.id());
        int phoneAt = moveLookup(writes, next.phone() == null ? null : Keys.phone(next.phone()),
                previous == null || previous.phone() == null ? null : Keys.phone(previous.phone()), next.id());
        // The consent history and a double opt-in's request go with the profile, or not at all. Their keys name the
        // change, so a write that is repeated overwrites itself.
        for (dev.tandem.contact.ConsentEntry e : dev.tandem.contact.ConsentEntry.between(previous, next)) {
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(config.table())
                    .item(ContactItems.historyItem(next.id(), e)).build()).build());
        }
        dev.tandem.ingest.TriggerWork.smsOptIn(previous, next).ifPresent(w -> writes.add(TransactWriteItem.builder()
                .put(Put.builder().tableName(config.table()).item(RunItems.trigger(next.id(), w, config)).build()).build()));
        return new Writing(writes, emailAt, phoneAt);
    }

    /** Profiles read 100 to a request (BatchGetItem, strongly consistent), the requests side by side. */
    @Override
    public Map<String, Contact> findAll(java.util.Collection<String> contactIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(contactIds));
        List<java.util.concurrent.CompletableFuture<List<Map<String, AttributeValue>>>> reads = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH_GET) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH_GET));
            reads.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> batchGet(chunk), pool));
        }
        Map<String, Contact> out = new HashMap<>();
        for (var read : reads) {
            for (Map<String, AttributeValue> item : join(read)) {
                Contact c = ContactItems.fromItem(item);
                out.put(c.id(), c);
            }
        }
        return out;
    }

    private List<Map<String, AttributeValue>> batchGet(List<String> ids) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(ids.size());
        ids.forEach(id -> keys.add(key(Keys.contact(id), Keys.PROFILE)));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> todo = Map.of(config.table(),
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 0; !todo.isEmpty(); attempt++) {
            if (attempt > 8) {
                throw new dev.tandem.port.StoreUnavailableException("DynamoDB left reads unprocessed after " + attempt + " attempts", null);
            }
            if (attempt > 0) {
                Writes.backoff(attempt);
            }
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = todo;
            var r = db.batchGetItem(b -> b.requestItems(request));
            items.addAll(r.responses().getOrDefault(config.table(), List.of()));
            todo = r.hasUnprocessedKeys() && r.unprocessedKeys().values().stream().anyMatch(k -> k.hasKeys() && !k.keys().isEmpty())
                    ? r.unprocessedKeys() : Map.of();
        }
        return items;
    }

    /**
     * Saves with {@link #save}'s writes and conditions, many contacts to a transaction (up to {@link #SAVES_PER_TRANSACTION},
     * at most 100 writes), the transactions side by side. A transaction cancelled because one contact's condition failed
     * is written again without that contact, whose outcome the cancellation reasons give; one cancelled by a conflicting
     * writer or throttling is tried again with backoff. Anything else is settled contact by contact with {@link #save}.
     */
    @Override
    public List<Saved> saveAll(List<Save> saves) {
        Saved[] out = new Saved[saves.size()];
        // Each save's writes, made once: they size the groups and are sent, again on a retry, as they are.
        List<Writing> made = new ArrayList<>(saves.size());
        saves.forEach(sv -> made.add(writing(sv.next(), sv.previous())));
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        int items = 0;
        for (int i = 0; i < saves.size(); i++) {
            int n = made.get(i).items().size();
            if (group.size() == SAVES_PER_TRANSACTION || items + n > 100) {
                groups.add(group);
                group = new ArrayList<>();
                items = 0;
            }
            group.add(i);
            items += n;
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        List<java.util.concurrent.CompletableFuture<Void>> writes = new ArrayList<>();
        for (List<Integer> g : groups) {
            writes.add(java.util.concurrent.CompletableFuture.runAsync(() -> saveGroup(saves, made, g, out), pool));
        }
        writes.forEach(DynamoContactStore::join);
        return java.util.Arrays.asList(out);
    }

    private void saveGroup(List<Save> saves, List<Writing> made, List<Integer> group, Saved[] out) {
        List<Integer> pending = group;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<TransactWriteItem> items = new ArrayList<>();
            List<Writing> writings = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            for (int i : pending) {
                Writing w = made.get(i);
                starts.add(items.size());
                writings.add(w);
                items.addAll(w.items());
            }
            try {
                db.transactWriteItems(r -> r.transactItems(items));
                pending.forEach(i -> out[i] = Saved.SAVED);
                return;
            } catch (TransactionCanceledException e) {
                if (Writes.passing(e) && attempt < Writes.ATTEMPTS) {
                    Writes.backoff(attempt);
                    continue;
                }
                List<Integer> again = new ArrayList<>();
                boolean settled = false;
                for (int k = 0; k < pending.size(); k++) {
                    Saved failed = failed(e, starts.get(k), writings.get(k));
                    if (failed == null) {
                        again.add(pending.get(k));
                    } else {
                        out[pending.get(k)] = failed;
                        settled = true;
                    }
                }
                if (!settled) {
                    one(saves, pending, out);
                    return;
                }
                pending = again;
            } catch (dev.tandem.port.ItemTooLargeException e) {
                one(saves, pending, out);
                return;
            }
        }
    }

    /** The outcome of one contact of a cancelled transaction, or null when none of its conditions failed. */
    private static Saved failed(TransactionCanceledException e, int start, Writing w) {
        for (int j = 0; j < w.items().size(); j++) {
            if (Transactions.conditionFailed(e, start + j)) {
                if (j == w.emailAt()) {
                    return Saved.conflict("email", "email already belongs to another contact");
                }
                if (j == w.phoneAt()) {
                    return Saved.conflict("phone", "phone already belongs to another contact");
                }
                return Saved.CHANGED;
            }
        }
        return null;
    }

    /** Saves settled one by one: what a transaction of many could not tell apart. */
    private void one(List<Save> saves, List<Integer> indices, Saved[] out) {
        for (int i : indices) {
            try {
                save(saves.get(i).next(), saves.get(i).previous());
                out[i] = Saved.SAVED;
            } catch (ConflictException e) {
                out[i] = Saved.conflict(e.field(), e.getMessage());
            } catch (ConcurrentChangeException e) {
                out[i] = Saved.CHANGED;
            } catch (dev.tandem.port.ItemTooLargeException e) {
                out[i] = Saved.conflict("attributes", "the contact is over DynamoDB's item size limit");
            }
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
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
    public List<dev.tandem.contact.ConsentEntry> consentHistory(String contactId) {
        List<dev.tandem.contact.ConsentEntry> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(config.table())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.contact(contactId)), ":prefix", s(Keys.CONSENT_PREFIX)))
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = db.query(q.build());
            r.items().forEach(i -> out.add(ContactItems.historyFrom(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
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
