package dev.tandem.aws.store;

import dev.tandem.aws.Json;
import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Run;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.ContactStore;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.ItemTooLargeException;
import dev.tandem.timeline.TimelineEvent;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import static dev.tandem.aws.store.AttributeValues.m;
import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;
import static dev.tandem.aws.store.DynamoContactStore.key;

/**
 * The decider's and the definitions' side of the table: due work on the sharded GSI1 index, runs moved
 * under their version, claims, sends and their records, launches, definitions, counters and codes.
 */
public final class DynamoDecisionStore implements DecisionStore {
    static final int HISTORY = 20;
    private static final AttributeValue EMPTY_LIST = AttributeValue.builder().l(List.of()).build();

    private final DynamoDbClient db;
    private final StoreConfig config;
    private final DynamoContactStore contacts;
    private final DynamoCampaignStore definitions;

    public DynamoDecisionStore(DynamoDbClient db, StoreConfig config, DynamoContactStore contacts, DynamoCampaignStore definitions) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.definitions = Objects.requireNonNull(definitions, "definitions");
    }

    /** The store with its collaborators on the same table: what the functions use. */
    public static DynamoDecisionStore on(DynamoDbClient db, StoreConfig config) {
        return new DynamoDecisionStore(db, config, new DynamoContactStore(db, config), new DynamoCampaignStore(db, config));
    }

    @Override
    public int shards() {
        return config.shards();
    }

    // --- due work ------------------------------------------------------------------------------

    @Override
    public DuePage due(int shard, Instant now, String cursor, int limit) {
        QueryRequest.Builder q = QueryRequest.builder()
                .tableName(config.table())
                .indexName(Keys.GSI1)
                .keyConditionExpression("GSI1PK = :pk AND GSI1SK <= :until")
                .expressionAttributeValues(Map.of(":pk", s(Keys.dueShard(shard)), ":until", s(Keys.dueUntil(now))))
                .limit(limit);
        if (cursor != null) {
            q.exclusiveStartKey(decodeKey(cursor));
        }
        QueryResponse r = db.query(q.build());
        List<Object> items = new ArrayList<>(r.items().size());
        for (Map<String, AttributeValue> item : r.items()) {
            String type = string(item, Keys.TYPE);
            if ("launch".equals(type)) {
                items.add(DynamoCampaignStore.launchOf(item));
            } else if (RunItems.TYPE.equals(type)) {
                items.add(runOf(item));
            }
        }
        String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? encodeKey(r.lastEvaluatedKey()) : null;
        return new DuePage(items, next);
    }

    static String encodeKey(Map<String, AttributeValue> key) {
        Map<String, Object> plain = new TreeMap<>();
        key.forEach((k, v) -> plain.put(k, v.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decodeKey(String cursor) {
        Map<String, Object> plain = Json.object(Json.read(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8), "cursor"), "cursor");
        Map<String, AttributeValue> key = new HashMap<>();
        plain.forEach((k, v) -> key.put(k, s(String.valueOf(v))));
        return key;
    }

    static Run runOf(Map<String, AttributeValue> item) {
        Map<String, String> data = new LinkedHashMap<>();
        AttributeValue d = item.get("data");
        if (d != null && d.hasM()) {
            d.m().forEach((k, v) -> data.put(k, v.s()));
        }
        Run.Claim claim = null;
        AttributeValue c = item.get("claim");
        if (c != null && c.hasM()) {
            AttributeValue ch = c.m().get("channel");
            AttributeValue lv = c.m().get("links");
            int links = lv == null || lv.n() == null ? 0 : Integer.parseInt(lv.n());
            claim = new Run.Claim(string(c.m(), "token"), Instant.parse(string(c.m(), "at")), string(c.m(), "step"),
                    ch == null ? null : dev.tandem.contact.Channel.parse("claim.channel", ch.s()), links, nextOf(c.m().get("next")));
        }
        AttributeValue armed = item.get("armed");
        return new Run(
                string(item, "contactId"),
                string(item, "campaign"),
                string(item, "occurrence"),
                "trigger".equals(string(item, "kind")) ? Run.Kind.TRIGGER : Run.Kind.LAUNCH,
                string(item, "step"),
                Instant.parse(string(item, "startedAt")),
                Instant.parse(string(item, "dueAt")),
                armed == null || Boolean.TRUE.equals(armed.bool()),
                data,
                Long.parseLong(item.get("version").n()),
                claim);
    }

    /** The whole item of a run not yet stored, in the state {@code next} leaves it. */
    private Map<String, AttributeValue> newRun(Run run, Plan.Next next, Run.Claim claim, List<String> refs, List<DecisionLine> lines) {
        Instant due = run.dueAt();
        boolean armed = run.armed();
        String status = "due";
        if (next instanceof Plan.Wait w) {
            due = w.dueAt();
            armed = w.armed();
        } else if (next instanceof Plan.Finish f) {
            status = f.status();
        }
        Map<String, AttributeValue> item = RunItems.item(run, due, armed, status, config);
        item.put("history", history(lines));
        item.put(DynamoContactStore.REFS, AttributeValues.of(refs));
        if (claim != null) {
            item.put("claim", claimValue(claim));
        }
        return item;
    }

    private static AttributeValue claimValue(Run.Claim c) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put("token", s(c.token()));
        v.put("at", s(c.at().toString()));
        v.put("step", s(c.step()));
        if (c.channel() != null) {
            v.put("channel", s(c.channel().wire()));
        }
        if (c.links() > 0) {
            v.put("links", n(c.links()));
        }
        if (c.next() instanceof Plan.Continue n) {
            v.put("next", m(Map.of("kind", s("continue"), "step", s(n.step()), "dueAt", s(n.dueAt().toString()),
                    "data", AttributeValues.of(n.data()))));
        } else if (c.next() instanceof Plan.Finish f) {
            v.put("next", m(Map.of("kind", s("finish"), "status", s(f.status()))));
        }
        return m(v);
    }

    /** Where a claimed run goes once its message is out, as the claim keeps it. */
    private static Plan.Next nextOf(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null;
        }
        Map<String, AttributeValue> n = v.m();
        if ("continue".equals(string(n, "kind"))) {
            Map<String, String> data = new LinkedHashMap<>();
            AttributeValue d = n.get("data");
            if (d != null && d.hasM()) {
                d.m().forEach((k, x) -> data.put(k, x.s()));
            }
            return new Plan.Continue(string(n, "step"), Instant.parse(string(n, "dueAt")), data);
        }
        return new Plan.Finish(string(n, "status"));
    }

    private static AttributeValue history(List<DecisionLine> lines) {
        List<Object> out = new ArrayList<>();
        for (DecisionLine l : lines) {
            out.add(l.toMap());
        }
        return AttributeValues.of(out);
    }

    /** An update of a stored run: the changes {@code next} makes, the history it adds, its version moved on. */
    private final class RunUpdate {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();
        final List<String> sets = new ArrayList<>();
        final List<String> removes = new ArrayList<>();
        final List<String> conditions = new ArrayList<>();
        final Run run;

        RunUpdate(Run run) {
            this.run = run;
            names.put("#v", "version");
            values.put(":one", n(1));
            sets.add("#v = #v + :one");
        }

        RunUpdate atVersion() {
            values.put(":version", n(run.version()));
            conditions.add("#v = :version");
            return this;
        }

        /** At the version read and unclaimed, or already holding this claim (a retried write whose answer was lost). */
        RunUpdate atVersionOrClaimedBy(Run.Claim c) {
            values.put(":version", n(run.version()));
            names.put("#claim", "claim");
            names.put("#token", "token");
            values.put(":token", s(c.token()));
            conditions.add("((#v = :version AND attribute_not_exists(#claim)) OR #claim.#token = :token)");
            return this;
        }

        RunUpdate unclaimed() {
            names.put("#claim", "claim");
            conditions.add("attribute_not_exists(#claim)");
            return this;
        }

        RunUpdate claimedBy(Run.Claim c) {
            names.put("#claim", "claim");
            names.put("#token", "token");
            values.put(":token", s(c.token()));
            conditions.add("#claim.#token = :token");
            removes.add("#claim");
            return this;
        }

        RunUpdate claim(Run.Claim c) {
            names.put("#claim", "claim");
            values.put(":claim", claimValue(c));
            sets.add("#claim = :claim");
            return this;
        }

        RunUpdate refs(List<String> refs) {
            if (!refs.isEmpty()) {
                names.put("#refs", DynamoContactStore.REFS);
                values.put(":refs", AttributeValues.of(refs));
                values.put(":empty", EMPTY_LIST);
                sets.add("#refs = list_append(if_not_exists(#refs, :empty), :refs)");
            }
            return this;
        }

        RunUpdate history(List<DecisionLine> lines) {
            if (!lines.isEmpty()) {
                names.put("#h", "history");
                values.put(":h", DynamoDecisionStore.history(lines));
                values.put(":empty", EMPTY_LIST);
                sets.add("#h = list_append(if_not_exists(#h, :empty), :h)");
            }
            return this;
        }

        RunUpdate due(Instant at) {
            names.put("#due", "dueAt");
            names.put("#g1pk", Keys.GSI1PK);
            names.put("#g1sk", Keys.GSI1SK);
            names.put("#status", "status");
            values.put(":due", s(at.toString()));
            values.put(":g1pk", s(Keys.due(run.contactId(), config.shards())));
            values.put(":g1sk", s(Keys.dueSort(at, run.contactId(), run.campaign(), run.occurrence())));
            values.put(":statusDue", s("due"));
            sets.add("#due = :due, #g1pk = :g1pk, #g1sk = :g1sk, #status = :statusDue");
            return this;
        }

        RunUpdate next(Plan.Next next, Instant now) {
            if (next instanceof Plan.Continue c) {
                names.put("#step", "step");
                values.put(":step", s(c.step()));
                sets.add("#step = :step");
                names.put("#data", "data");
                int i = 0;
                for (Map.Entry<String, String> e : c.data().entrySet()) {
                    if (e.getValue() == null) {
                        continue;
                    }
                    names.put("#d" + i, e.getKey());
                    values.put(":d" + i, s(e.getValue()));
                    sets.add("#data.#d" + i + " = :d" + i);
                    i++;
                }
                due(c.dueAt());
            } else if (next instanceof Plan.Wait w) {
                names.put("#armed", "armed");
                values.put(":armed", AttributeValue.builder().bool(w.armed()).build());
                sets.add("#armed = :armed");
                due(w.dueAt());
            } else if (next instanceof Plan.Finish f) {
                finish(f.status(), now);
            }
            return this;
        }

        RunUpdate finish(String status, Instant now) {
            names.put("#status", "status");
            names.put("#g1pk", Keys.GSI1PK);
            names.put("#g1sk", Keys.GSI1SK);
            names.put("#exp", Keys.EXPIRES_AT);
            values.put(":status", s(status));
            values.put(":exp", n(EventItems.expiry(now, config.retention())));
            sets.add("#status = :status, #exp = :exp");
            removes.add("#g1pk");
            removes.add("#g1sk");
            return this;
        }

        Update build() {
            String expr = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
            Update.Builder b = Update.builder().tableName(config.table()).key(RunItems.runKey(run))
                    .updateExpression(expr).expressionAttributeNames(names).expressionAttributeValues(values);
            if (!conditions.isEmpty()) {
                b.conditionExpression(String.join(" AND ", conditions));
            }
            return b.build();
        }
    }

    @Override
    public Optional<SendView> view(String contactId, Instant since, int newest) {
        return contacts.sendView(contactId, since, newest);
    }

    @Override
    public Optional<Run> run(String contactId, String campaign, String occurrence) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).consistentRead(true)
                .key(key(Keys.contact(contactId), Keys.run(campaign, occurrence)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(runOf(item));
    }

    /**
     * The run with its claim, listed where it was due, naming the link items written before it (plain puts: their
     * codes are 128 bits drawn for this claim, so they meet no other writer). Links of a claim that loses are left
     * to expire: nothing refers to them.
     */
    @Override
    public boolean claim(Run run, Run.Claim claim, List<LinkItem> links) {
        List<String> refs = new ArrayList<>();
        for (LinkItem l : links) {
            refs.add(Keys.code(l.kind(), l.code()));
        }
        // Either condition also passes for this very claim: the SDK retries a write whose answer was lost, and the
        // retry must not take the claim for another writer's (its job would never be queued).
        if (run.isNew()) {
            Map<String, AttributeValue> item = newRun(run, new Plan.Wait(run.dueAt(), run.armed()), claim, refs, List.of());
            return Writes.conditional(() -> db.putItem(r -> r.tableName(config.table()).item(item)
                    .conditionExpression("attribute_not_exists(PK) OR #claim.#token = :token")
                    .expressionAttributeNames(Map.of("#claim", "claim", "#token", "token"))
                    .expressionAttributeValues(Map.of(":token", s(claim.token())))));
        }
        return Writes.conditional(() -> db.updateItem(RunItems.request(new RunUpdate(run).atVersionOrClaimedBy(claim).claim(claim)
                .refs(refs).build())));
    }

    @Override
    public void links(List<LinkItem> links) {
        if (links.isEmpty()) {
            return;
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Instant now = Instant.now();
        for (LinkItem l : links) {
            items.add(codeItem(l, now));
        }
        Writes.puts(db, config.table(), items);
    }

    @Override
    public boolean begin(String contactId, long seenSequence, Pending pending) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":next", n(seenSequence + 1));
        values.put(":seen", n(seenSequence));
        values.put(":pending", m(Map.of("token", s(pending.token()), "eventId", s(pending.eventId()), "at", s(pending.at().toString()),
                "attempt", s(pending.attempt()))));
        values.put(":type", s("send-guard"));
        values.put(":attempt", s(pending.attempt()));
        // This very attempt's begin passes too: the SDK's retry of a write whose answer was lost. A second delivery of
        // the same job is another attempt, and fails.
        String condition = (seenSequence == 0 ? "attribute_not_exists(#seq) OR #seq = :seen" : "#seq = :seen") + " OR #pending.#attempt = :attempt";
        return Writes.conditional(() -> db.updateItem(r -> r.tableName(config.table())
                .key(key(Keys.contact(contactId), Keys.SEND_GUARD))
                .updateExpression("SET #seq = :next, #pending = :pending, #type = :type")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#seq", "seq", "#pending", "pending", "#type", Keys.TYPE, "#attempt", "attempt"))
                .expressionAttributeValues(values)));
    }

    @Override
    public void end(String contactId, String token) {
        Writes.conditional(() -> db.updateItem(r -> r.tableName(config.table())
                .key(key(Keys.contact(contactId), Keys.SEND_GUARD))
                .updateExpression("REMOVE #pending")
                .conditionExpression("#pending.#token = :token")
                .expressionAttributeNames(Map.of("#pending", "pending", "#token", "token"))
                .expressionAttributeValues(Map.of(":token", s(token)))));
    }

    private Map<String, AttributeValue> codeItem(LinkItem l, Instant at) {
        Map<String, AttributeValue> item = key(Keys.code(l.kind(), l.code()), Keys.LOOKUP);
        item.put(Keys.TYPE, s(l.kind()));
        item.put("contactId", s(l.contactId()));
        item.put("campaign", s(l.campaign()));
        item.put("step", s(l.step()));
        if (l.url() != null) {
            item.put("url", s(l.url()));
        }
        if (l.subject() != null) {
            item.put("subject", s(l.subject()));
        }
        if (l.html() != null) {
            // Stored compressed: email HTML shrinks four to eight times, and write units are per kilobyte.
            item.put("htmlGz", AttributeValue.builder().b(software.amazon.awssdk.core.SdkBytes.fromByteArray(DynamoCampaignStore.gzip(l.html()))).build());
        }
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(at, config.retention())));
        return item;
    }

    @Override
    public void count(String campaign, String contactId, Map<String, Long> counters) {
        if (!counters.isEmpty()) {
            RunItems.count(campaign, contactId, counters, config).forEach(u -> Writes.count(db, u));
            dev.tandem.aws.Funnel.counted(campaign, counters);
        }
    }

    /**
     * The longest the record of a sent message can take: its event and lookup, then the run, each with the SDK's
     * retries. A sender's send lease must be longer than this and the provider call together.
     */
    public static java.time.Duration worstRecord() {
        java.time.Duration call = dev.tandem.aws.Sdk.DYNAMO_CALL_TIMEOUT;
        return call.multipliedBy(3).plusMillis(Writes.MAX_BACKOFF_MILLIS);
    }

    @Override
    public Optional<TimelineEvent> sentEvent(Run run, Pending pending) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).consistentRead(true)
                .key(key(Keys.contact(run.contactId()), Keys.event(pending.at(), pending.eventId())))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(EventItems.fromItem(item));
    }

    @Override
    public void recordSend(Run run, Run.Claim claim, TimelineEvent sent, SentMessage lookup, Plan.Next next,
                           List<DecisionLine> lines) {
        Map<String, AttributeValue> event = EventItems.toItem(sent, config.retention());
        if (lookup != null) {
            event.put(DynamoContactStore.REFS, AttributeValues.of(List.of(Keys.message(lookup.messageId()))));
        }
        record(run, claim, event, lookup == null ? null : RunItems.messageLookup(lookup, sent.at(), config), next, lines, sent.at());
    }

    @Override
    public void recordFailure(Run run, Run.Claim claim, TimelineEvent failure, Plan.Next next, List<DecisionLine> lines) {
        record(run, claim, EventItems.toItem(failure, config.retention()), null, next, lines, failure.at());
    }

    /**
     * The record of a message that went out: its event and its lookup in one plain batch (their keys are the message's
     * own, so writing them twice writes the same items), then the run moved on, on the condition that it still holds
     * the claim. A sender that stops between the two leaves the event, from which the run is finished after the send
     * lease; a run whose claim was taken meanwhile (marked unknown after a long stall) keeps the event all the same.
     */
    private void record(Run run, Run.Claim claim, Map<String, AttributeValue> event, Map<String, AttributeValue> lookup,
                        Plan.Next next, List<DecisionLine> lines, Instant now) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(event);
        if (lookup != null) {
            items.add(lookup);
        }
        Writes.puts(db, config.table(), items);
        try {
            Writes.conditional(() -> db.updateItem(RunItems.request(new RunUpdate(run).claimedBy(claim).next(next, now).history(lines).build())));
        } catch (ItemTooLargeException e) {
            // The run's history is what grew too large: the message is recorded, its decision line is not.
            Writes.conditional(() -> db.updateItem(RunItems.request(new RunUpdate(run).claimedBy(claim).next(next, now).build())));
        }
    }

    /**
     * Gives a claim back, in one transaction with a check that no sender began it (the contact's guard does not hold
     * the claim's token): a sender that begins after this sees the claim gone and stops.
     */
    @Override
    public boolean release(Run run, Run.Claim claim, Instant dueAt) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(new RunUpdate(run).claimedBy(claim).due(dueAt).build()).build());
        writes.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(config.table())
                .key(key(Keys.contact(run.contactId()), Keys.SEND_GUARD))
                .conditionExpression("attribute_not_exists(#pending) OR #pending.#token <> :token")
                .expressionAttributeNames(Map.of("#pending", "pending", "#token", "token"))
                .expressionAttributeValues(Map.of(":token", s(claim.token())))).build());
        try {
            Writes.transact(db, writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0) || Transactions.conditionFailed(e, 1)) {
                return false;
            }
            // Conflicts that outlasted the retries: the store did not answer this time.
            throw new dev.tandem.port.StoreUnavailableException("giving a claim back did not go through: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean settle(Run run, Plan.Next next, List<DecisionLine> lines) {
        Run.Claim claim = run.claim();
        if (next instanceof Plan.Drop) {
            if (run.isNew()) {
                return true;
            }
            if (claim != null) {
                return Writes.conditional(() -> db.deleteItem(r -> r.tableName(config.table()).key(RunItems.runKey(run))
                        .conditionExpression("#claim.#token = :token")
                        .expressionAttributeNames(Map.of("#claim", "claim", "#token", "token"))
                        .expressionAttributeValues(Map.of(":token", s(claim.token())))));
            }
            return Writes.conditional(() -> db.deleteItem(r -> r.tableName(config.table()).key(RunItems.runKey(run))
                    .conditionExpression("#v = :version AND attribute_not_exists(#claim)")
                    .expressionAttributeNames(Map.of("#v", "version", "#claim", "claim"))
                    .expressionAttributeValues(Map.of(":version", n(run.version())))));
        }
        if (run.isNew()) {
            return Writes.conditional(() -> db.putItem(r -> r.tableName(config.table()).item(newRun(run, next, null, List.of(), lines))
                    .conditionExpression("attribute_not_exists(PK)")));
        }
        // A claimed run (listed at its lease's end) decided again is listed as its next step says.
        RunUpdate u = claim != null ? new RunUpdate(run).claimedBy(claim) : new RunUpdate(run).atVersion().unclaimed();
        u.next(next, run.dueAt());
        return Writes.conditional(() -> db.updateItem(RunItems.request(u.history(lines).build())));
    }

    @Override
    public boolean markUnknown(Run run) {
        boolean moved = Writes.conditional(() -> db.updateItem(RunItems.request(new RunUpdate(run).claimedBy(run.claim())
                .finish("unknown", run.claim().at()).build())));
        end(run.contactId(), run.claim().token());
        return moved;
    }

    @Override
    public boolean schedule(Run run) {
        try {
            db.putItem(r -> r.tableName(config.table()).item(newRun(run, new Plan.Wait(run.dueAt(), run.armed()), null, List.of(), List.of()))
                    .conditionExpression("attribute_not_exists(PK)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // --- launches ------------------------------------------------------------------------------

    @Override
    public AudiencePage audience(Launch launch, int limit) {
        if (!launch.everyone()) {
            int from = launch.cursor() == null ? 0 : Integer.parseInt(launch.cursor());
            int to = Math.min(launch.audience().size(), from + limit);
            return new AudiencePage(launch.audience().subList(from, to), to < launch.audience().size() ? Integer.toString(to) : null);
        }
        // Every contact: the audience shards of GSI1, one after the other. The cursor is shard:lastKey.
        int shard = 0;
        Map<String, AttributeValue> start = null;
        if (launch.cursor() != null) {
            int colon = launch.cursor().indexOf(':');
            shard = Integer.parseInt(launch.cursor().substring(0, colon));
            String rest = launch.cursor().substring(colon + 1);
            start = rest.isEmpty() ? null : decodeKey(rest);
        }
        List<String> ids = new ArrayList<>();
        while (shard < config.shards() && ids.size() < limit) {
            QueryRequest.Builder q = QueryRequest.builder().tableName(config.table()).indexName(Keys.GSI1)
                    .keyConditionExpression("GSI1PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.audienceShard(shard))))
                    .limit(limit - ids.size());
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = db.query(q.build());
            r.items().forEach(i -> ids.add(string(i, Keys.GSI1SK)));
            if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                start = r.lastEvaluatedKey();
                return new AudiencePage(ids, shard + ":" + encodeKey(start));
            }
            shard++;
            start = null;
        }
        return new AudiencePage(ids, shard < config.shards() ? shard + ":" : null);
    }

    @Override
    public boolean advance(Launch launch, String next) {
        Map<String, String> names = new HashMap<>(Map.of("#v", "version"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1)));
        String expr;
        if (next == null) {
            names.put("#status", "status");
            names.put("#g1pk", Keys.GSI1PK);
            names.put("#g1sk", Keys.GSI1SK);
            values.put(":done", s("done"));
            expr = "SET #v = #v + :one, #status = :done REMOVE #g1pk, #g1sk";
        } else {
            names.put("#cursor", "cursor");
            values.put(":cursor", s(next));
            expr = "SET #v = #v + :one, #cursor = :cursor";
        }
        String condition = "attribute_exists(PK)";
        if (launch.version() >= 0) {
            values.put(":version", n(launch.version()));
            condition += " AND #v = :version";
        }
        String c = condition;
        String e = expr;
        try {
            db.updateItem(r -> r.tableName(config.table()).key(key(Keys.campaign(launch.campaign()), Keys.launch(launch.launchId())))
                    .updateExpression(e).conditionExpression(c).expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException ex) {
            return false;
        }
    }

    @Override
    public boolean occur(Launch recurrence, Launch occurrence, dev.tandem.campaign.Recurrence.Occurrence next) {
        Map<String, AttributeValue> child = definitions.launchItem(occurrence, occurrence.at());
        Map<String, String> names = new HashMap<>(Map.of("#v", "version", "#at", "at", "#g1sk", Keys.GSI1SK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1), ":version", n(recurrence.version())));
        String expr;
        if (next == null) {
            names.put("#status", "status");
            names.put("#g1pk", Keys.GSI1PK);
            names.remove("#at");
            values.put(":done", s("done"));
            expr = "SET #v = #v + :one, #status = :done REMOVE #g1pk, #g1sk";
        } else {
            names.put("#local", "localAt");
            values.put(":at", s(next.at().toString()));
            values.put(":g1sk", s(Keys.dueSort(next.at(), "launch", recurrence.campaign(), recurrence.launchId())));
            if (next.local() != null) {
                values.put(":local", s(next.local().toString()));
                expr = "SET #v = #v + :one, #at = :at, #local = :local, #g1sk = :g1sk";
            } else {
                names.remove("#local");
                expr = "SET #v = #v + :one, #at = :at, #g1sk = :g1sk";
            }
        }
        TransactWriteItem move = TransactWriteItem.builder().update(Update.builder().tableName(config.table())
                .key(key(Keys.campaign(recurrence.campaign()), Keys.launch(recurrence.launchId())))
                .updateExpression(expr).conditionExpression("#v = :version")
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
        try {
            db.transactWriteItems(r -> r.transactItems(move, Transactions.put(config.table(), child, Transactions.ABSENT)));
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0) || !Transactions.conditionFailed(e, 1)) {
                return false;
            }
        }
        // The occurrence is stored already, and enrolling or done: only the recurrence moves on.
        try {
            db.transactWriteItems(r -> r.transactItems(move));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    @Override
    public boolean enter(String contactId, Launch occurrence, java.time.Duration reentry) {
        Map<String, String> names = new HashMap<>(Map.of("#last", "lastAt", "#occ", "occurrence", "#type", Keys.TYPE,
                "#exp", Keys.EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", n(occurrence.at().getEpochSecond()),
                ":occ", s(occurrence.launchId()), ":type", s("entry")));
        String condition = "attribute_not_exists(PK) OR #occ = :occ";
        String update;
        if (reentry != null) {
            values.put(":cutoff", n(occurrence.at().minus(reentry).getEpochSecond()));
            condition += " OR #last <= :cutoff";
            // Once the interval has passed the entry no longer holds the contact back: it may expire then.
            values.put(":exp", n(occurrence.at().plus(reentry).plus(java.time.Duration.ofDays(1)).getEpochSecond()));
            update = "SET #last = :at, #occ = :occ, #type = :type, #exp = :exp";
        } else {
            // Once means once: the entry never expires (erasing the contact removes it).
            update = "SET #last = :at, #occ = :occ, #type = :type REMOVE #exp";
        }
        String c = condition;
        String u = update;
        try {
            db.updateItem(r -> r.tableName(config.table()).key(key(Keys.contact(contactId), Keys.entry(occurrence.campaign())))
                    .updateExpression(u).conditionExpression(c)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // --- audiences -----------------------------------------------------------------------------

    @Override
    public MemberPage members(int shard, String cursor, int limit) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(config.table()).indexName(Keys.GSI1)
                .keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", s(Keys.audienceShard(shard))))
                .limit(limit);
        if (cursor != null) {
            q.exclusiveStartKey(memberCursor(shard, cursor));
        }
        QueryResponse r = db.query(q.build());
        List<dev.tandem.audience.Member> members = new ArrayList<>();
        for (Map<String, AttributeValue> item : r.items()) {
            members.add(new dev.tandem.audience.Member(ContactItems.fromItem(item), null));
        }
        String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? encodeKey(r.lastEvaluatedKey()) : null;
        return new MemberPage(members, next);
    }

    /**
     * A member page's cursor as this store wrote it: a profile's key on the shard's index partition, and nothing else
     * (DynamoDB refuses any other start key of an index query, and a shard's key on another shard would read the wrong
     * contacts). Anything else is the caller's bad {@code next}.
     */
    private static Map<String, AttributeValue> memberCursor(int shard, String cursor) {
        Map<String, AttributeValue> key;
        try {
            key = decodeKey(cursor);
        } catch (RuntimeException e) {
            throw new dev.tandem.validation.InvalidInputException("next", "next is not a cursor this route returned");
        }
        String id = key.containsKey(Keys.GSI1SK) ? key.get(Keys.GSI1SK).s() : null;
        boolean ok = key.size() == 4 && id != null
                && s(Keys.audienceShard(shard)).equals(key.get(Keys.GSI1PK))
                && s(Keys.contact(id)).equals(key.get(Keys.PK))
                && s(Keys.PROFILE).equals(key.get(Keys.SK));
        if (!ok) {
            throw new dev.tandem.validation.InvalidInputException("next", "next is not a cursor this route returned");
        }
        return key;
    }

    /** The summaries by key, 100 to a BatchGetItem, eventually consistent (a summary trails its events anyway). */
    @Override
    public Map<String, dev.tandem.audience.Engagement> engagement(java.util.Collection<String> contactIds) {
        Map<String, dev.tandem.audience.Engagement> out = new HashMap<>();
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(contactIds));
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
                keys.add(key(Keys.contact(id), Keys.SUMMARY));
            }
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> pending =
                    Map.of(config.table(), software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> ask = pending;
                var r = db.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : r.responses().getOrDefault(config.table(), List.of())) {
                    out.put(Keys.contactIdOf(string(item, Keys.PK)), SummaryItems.engagement(item));
                }
                pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!pending.isEmpty()) {
                    if (attempt >= Writes.ATTEMPTS) {
                        throw new dev.tandem.port.StoreUnavailableException("DynamoDB batchGetItem left keys unprocessed", null);
                    }
                    Writes.backoff(attempt);
                }
            }
        }
        return out;
    }

    @Override
    public void putSegment(dev.tandem.audience.Segment segment) {
        definitions.putSegment(segment);
    }

    @Override
    public Optional<dev.tandem.audience.Segment> segment(String id) {
        return definitions.segment(id);
    }

    // --- definitions, read through the campaign store ------------------------------------------

    @Override
    public Optional<Launch> launch(String campaign, String launchId) {
        return definitions.launch(campaign, launchId);
    }

    @Override
    public Optional<Campaign> campaign(String id) {
        return definitions.campaign(id);
    }

    @Override
    public Optional<MessageTemplate> template(String id) {
        return definitions.template(id);
    }

    @Override
    public ContactPolicy policy() {
        return definitions.policy();
    }

    @Override
    public List<RunHistory> runsOf(String contactId) {
        List<RunHistory> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            software.amazon.awssdk.services.dynamodb.model.QueryResponse r = db.query(q -> q.tableName(config.table())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :run)")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.contact(contactId)), ":run", s(Keys.RUN_PREFIX)))
                    .projectionExpression("campaign, occurrence, kind, startedAt, history")
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : r.items()) {
                List<Map<String, Object>> lines = new ArrayList<>();
                AttributeValue h = item.get("history");
                if (h != null && h.hasL()) {
                    for (AttributeValue line : h.l()) {
                        if (line.hasM()) {
                            lines.add(AttributeValues.toJava(line.m()));
                        }
                    }
                }
                out.add(new RunHistory(string(item, "campaign"), string(item, "occurrence"),
                        "trigger".equals(string(item, "kind")) ? Run.Kind.TRIGGER : Run.Kind.LAUNCH,
                        Instant.parse(string(item, "startedAt")), lines));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /**
     * The marker and the counters in one transaction: a conversion is never marked without being counted (a retried
     * post would then count nothing), nor counted twice. Goal conversions are rare beside sends, so the stats shard in
     * a transaction is not the hot spot the sends' counters would make it.
     */
    @Override
    public boolean convert(String contactId, String campaign, String occurrence, Instant at, Map<String, Long> counters) {
        Map<String, AttributeValue> item = key(Keys.contact(contactId), "GOAL#" + campaign + "#" + occurrence);
        item.put(Keys.TYPE, s("goal"));
        item.put("at", s(at.toString()));
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(at, config.retention())));
        List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> writes = new ArrayList<>();
        writes.add(software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().put(p -> p.tableName(config.table())
                .item(item).conditionExpression("attribute_not_exists(PK)")).build());
        for (software.amazon.awssdk.services.dynamodb.model.Update u : RunItems.count(campaign, contactId, counters, config)) {
            writes.add(software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().update(u).build());
        }
        try {
            Writes.transact(db, writes);
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                return false;
            }
            throw e;
        }
    }
}
