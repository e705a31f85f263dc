package dev.tandem.aws.store;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.decide.Launch;
import dev.tandem.audience.Segment;
import dev.tandem.port.CampaignStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;
import static dev.tandem.aws.store.DynamoContactStore.key;

/**
 * What the API keeps about campaigns: templates, campaigns and the contact policy as they were accepted, launches,
 * the campaign counters, and the items a message's links and web version resolve through.
 */
public final class DynamoCampaignStore implements CampaignStore {
    private final DynamoDbClient db;
    private final StoreConfig config;

    public DynamoCampaignStore(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
    }

    // --- launches ------------------------------------------------------------------------------

    static Launch launchOf(Map<String, AttributeValue> item) {
        List<String> audience = null;
        AttributeValue a = item.get("audience");
        if (a != null && a.hasL()) {
            audience = new ArrayList<>();
            for (AttributeValue v : a.l()) {
                audience.add(v.s());
            }
        }
        String local = string(item, "localAt");
        AttributeValue recurrence = item.get("recurrence");
        return new Launch(string(item, "campaign"), string(item, "launchId"), Instant.parse(string(item, "at")),
                local == null ? null : LocalDateTime.parse(local), string(item, "zone"), audience,
                string(item, "cursor"), Long.parseLong(item.get("version").n()), string(item, "segment"),
                string(item, "parent"), recurrence != null && Boolean.TRUE.equals(recurrence.bool()));
    }

    /** The item of a new launch, listed on the due index at its time. */
    Map<String, AttributeValue> launchItem(Launch l, Instant now) {
        Map<String, AttributeValue> item = key(Keys.campaign(l.campaign()), Keys.launch(l.launchId()));
        item.put(Keys.TYPE, s("launch"));
        item.put("campaign", s(l.campaign()));
        item.put("launchId", s(l.launchId()));
        item.put("at", s(l.at().toString()));
        if (l.localAt() != null) {
            item.put("localAt", s(l.localAt().toString()));
        }
        if (l.zone() != null) {
            item.put("zone", s(l.zone()));
        }
        if (l.audience() != null) {
            item.put("audience", AttributeValues.of(l.audience()));
        }
        if (l.segment() != null) {
            item.put("segment", s(l.segment()));
        }
        if (l.parent() != null) {
            item.put("parent", s(l.parent()));
        }
        if (l.recurrence()) {
            item.put("recurrence", AttributeValue.builder().bool(true).build());
        }
        item.put("version", n(0));
        item.put("status", s("due"));
        item.put("createdAt", s(now.toString()));
        item.put(Keys.GSI1PK, s(Keys.due(l.campaign(), config.shards())));
        item.put(Keys.GSI1SK, s(Keys.dueSort(l.at(), "launch", l.campaign(), l.launchId())));
        return item;
    }

    @Override
    public Launch createLaunch(Launch l, Instant now) {
        Map<String, AttributeValue> item = launchItem(l, now);
        try {
            db.putItem(r -> r.tableName(config.table()).item(item).conditionExpression("attribute_not_exists(PK)"));
            return new Launch(l.campaign(), l.launchId(), l.at(), l.localAt(), l.zone(), l.audience(), null, 0,
                    l.segment(), l.parent(), l.recurrence());
        } catch (ConditionalCheckFailedException e) {
            return launch(l.campaign(), l.launchId()).orElseThrow();
        }
    }

    @Override
    public List<Launch> recurrences(String campaign) {
        List<Launch> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var r = db.query(q -> q.tableName(config.table()).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :launch)")
                    .filterExpression("#recurrence = :yes AND #status = :due")
                    .expressionAttributeNames(Map.of("#recurrence", "recurrence", "#status", "status"))
                    .expressionAttributeValues(Map.of(":pk", s(Keys.campaign(campaign)), ":launch", s(Keys.launch("")),
                            ":yes", AttributeValue.builder().bool(true).build(), ":due", s("due")))
                    .exclusiveStartKey(from));
            r.items().forEach(i -> out.add(launchOf(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** A launch still enrolling its audience; none once it is done. */
    public Optional<Launch> launch(String campaign, String launchId) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table())
                .key(key(Keys.campaign(campaign), Keys.launch(launchId))).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !"due".equals(string(item, "status"))) {
            return Optional.empty();
        }
        return Optional.of(launchOf(item));
    }

    // --- definitions ---------------------------------------------------------------------------

    @Override
    public void putTemplate(MessageTemplate t) {
        putDefinition(Keys.template(t.id()), Keys.DEF, "template", t.toMap());
    }

    @Override
    public Optional<MessageTemplate> template(String id) {
        return definition(Keys.template(id), Keys.DEF).map(d -> MessageTemplate.restore(id, d));
    }

    @Override
    public void putCampaign(Campaign c) {
        Map<String, AttributeValue> item = definitionItem(Keys.campaign(c.id()), Keys.DEF, "campaign", c.toMap());
        item.put(Keys.GSI1PK, s(Keys.CAMPAIGNS));
        item.put(Keys.GSI1SK, s(c.id()));
        db.putItem(r -> r.tableName(config.table()).item(item));
    }

    public void putSegment(Segment segment) {
        putDefinition(Keys.segment(segment.id()), Keys.DEF, "segment", Map.of("where", segment.where()));
    }

    @SuppressWarnings("unchecked")
    public Optional<Segment> segment(String id) {
        return definition(Keys.segment(id), Keys.DEF).map(d -> Segment.restore(id, (Map<String, Object>) d.get("where")));
    }

    @Override
    public Optional<Campaign> campaign(String id) {
        return definition(Keys.campaign(id), Keys.DEF).map(d -> Campaign.restore(id, d));
    }

    @Override
    public List<Campaign> campaigns() {
        List<Campaign> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : DynamoContactStore.indexPartition(db, config, Keys.CAMPAIGNS)) {
            out.add(Campaign.restore(string(item, Keys.GSI1SK), AttributeValues.toJava(item.get("definition").m())));
        }
        return out;
    }

    @Override
    public ContactPolicy policy() {
        return definition(Keys.config(), Keys.POLICY).map(ContactPolicy::from).orElse(ContactPolicy.DEFAULT);
    }

    @Override
    public void putPolicy(ContactPolicy policy) {
        putDefinition(Keys.config(), Keys.POLICY, "policy", policy.toMap());
    }

    /** Templates, campaigns and the policy: each one item whose {@code definition} is what the API accepted. */
    private void putDefinition(String pk, String sk, String type, Map<String, Object> definition) {
        Map<String, AttributeValue> item = definitionItem(pk, sk, type, definition);
        db.putItem(r -> r.tableName(config.table()).item(item));
    }

    private static Map<String, AttributeValue> definitionItem(String pk, String sk, String type, Map<String, Object> definition) {
        Map<String, AttributeValue> item = key(pk, sk);
        item.put(Keys.TYPE, s(type));
        item.put("definition", AttributeValues.of(definition));
        return item;
    }

    private Optional<Map<String, Object>> definition(String pk, String sk) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).key(key(pk, sk))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AttributeValues.toJava(item.get("definition").m()));
    }

    @Override
    public boolean launched(String campaign) {
        return db.query(q -> q.tableName(config.table()).limit(1).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :launch)")
                .expressionAttributeValues(Map.of(":pk", s(Keys.campaign(campaign)), ":launch", s(Keys.launch("")))))
                .count() > 0;
    }

    @Override
    public Map<String, Long> stats(String campaign) {
        Map<String, Long> out = new TreeMap<>();
        sum(campaign, Keys.STATS_PREFIX, (sk, name) -> name, out);
        return out;
    }

    @Override
    public Map<String, Long> series(String campaign) {
        Map<String, Long> out = new TreeMap<>();
        // SERIES#2026-11-27T05#3 with email.sent: 2026-11-27T05/email.sent
        sum(campaign, Keys.SERIES_PREFIX, (sk, name) -> sk.substring(Keys.SERIES_PREFIX.length(), sk.lastIndexOf('#')) + "/" + name, out);
        return out;
    }

    /** Sums the numbers of every item of the campaign whose sort key begins with {@code prefix}, named by {@code name}. */
    private void sum(String campaign, String prefix, java.util.function.BinaryOperator<String> name, Map<String, Long> out) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(q -> q.tableName(config.table())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.campaign(campaign)), ":prefix", s(prefix)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : r.items()) {
                String sk = item.get(Keys.SK).s();
                item.forEach((k, v) -> {
                    if (v.n() != null && !k.equals(Keys.EXPIRES_AT)) {
                        out.merge(name.apply(sk, k), Long.parseLong(v.n()), Long::sum);
                    }
                });
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
    }

    @Override
    public Optional<Target> target(String kind, String code) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).key(key(Keys.code(kind, code), Keys.LOOKUP))).item();
        if (item == null || item.isEmpty() || !kind.equals(string(item, Keys.TYPE))) {
            return Optional.empty();
        }
        return Optional.of(new Target(kind, code, string(item, "contactId"), string(item, "campaign"), string(item, "step"),
                string(item, "url"), string(item, "subject"),
                item.get("htmlGz") == null ? null : gunzip(item.get("htmlGz").b().asByteArray())));
    }

    static byte[] gzip(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        // The smallest gzip: a web version is written once and billed by the kilobyte.
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String gunzip(byte[] bytes) {
        try (java.util.zip.GZIPInputStream z = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return new String(z.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
