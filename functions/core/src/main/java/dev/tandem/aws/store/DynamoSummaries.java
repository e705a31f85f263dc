package dev.tandem.aws.store;

import dev.tandem.audience.Engagement;
import dev.tandem.timeline.TimelineEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;

/**
 * Keeps each contact's engagement summary ({@link SummaryItems}) as its timeline events land: one update per contact
 * for a batch of its events, adding to number sets (so a repeated event adds nothing), and a second update only when
 * a set grew past {@link Engagement#KEEP} or holds times older than the retention.
 */
public final class DynamoSummaries {
    private final DynamoDbClient db;
    private final StoreConfig config;

    public DynamoSummaries(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Adds one contact's events to its summary. Machine opens, link previews and deliveries are not kept
     * ({@link Engagement#kept}). The summary is read by key, never from the index: an event costs this one write.
     */
    public void add(String contactId, List<TimelineEvent> events, Instant now) {
        Map<String, Set<String>> byAttribute = new LinkedHashMap<>();
        for (TimelineEvent e : events) {
            if (!Engagement.kept(e)) {
                continue;
            }
            String v = Long.toString(SummaryItems.value(e.at(), e.eventId()));
            byAttribute.computeIfAbsent(SummaryItems.attribute(Engagement.key(e.type(), null)), k -> new TreeSet<>()).add(v);
            if (e.campaign() != null) {
                byAttribute.computeIfAbsent(SummaryItems.attribute(Engagement.key(e.type(), e.campaign())), k -> new TreeSet<>()).add(v);
            }
        }
        if (byAttribute.isEmpty()) {
            return;
        }
        String token = java.util.UUID.randomUUID().toString();
        Map<String, String> names = new HashMap<>(Map.of("#type", Keys.TYPE, "#exp", Keys.EXPIRES_AT, "#born", "born"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":type", s(SummaryItems.TYPE),
                ":exp", n(EventItems.expiry(now, config.retention())), ":born", s(token)));
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Set<String>> a : byAttribute.entrySet()) {
            names.put("#a" + i, a.getKey());
            values.put(":a" + i, AttributeValue.builder().ns(a.getValue()).build());
            adds.add("#a" + i + " :a" + i);
            i++;
        }
        String expr = "SET #type = :type, #exp = :exp, #born = if_not_exists(#born, :born) ADD " + String.join(", ", adds);
        Map<String, AttributeValue> key = Map.of(Keys.PK, s(Keys.contact(contactId)), Keys.SK, s(Keys.SUMMARY));
        UpdateItemResponse r = db.updateItem(u -> u.tableName(config.table()).key(key).updateExpression(expr)
                .expressionAttributeNames(names).expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW));
        AttributeValue born = r.attributes().get("born");
        if (born != null && token.equals(born.s()) && !profileExists(contactId)) {
            // This update made the summary, and the contact is gone: its events came after an erasure. The summary goes
            // too, unless a later update made it again for a contact made again.
            db.deleteItem(d -> d.tableName(config.table()).key(key).conditionExpression("#born = :born")
                    .expressionAttributeNames(Map.of("#born", "born")).expressionAttributeValues(Map.of(":born", s(token))));
            return;
        }
        prune(key, r.attributes(), now);
    }

    /**
     * Writes a contact's summary anew from its whole timeline, as the stream would have kept it (the newest
     * {@link Engagement#KEEP} of each kept type within the retention); a contact with no kept event has none. For a
     * stack that had events before its summaries, and for stream batches that were dead-lettered.
     */
    public void rebuild(String contactId, List<TimelineEvent> timeline, Instant now) {
        long oldest = now.minus(config.retention()).getEpochSecond();
        Map<String, List<Long>> byAttribute = new HashMap<>();
        for (TimelineEvent e : timeline) {
            if (!Engagement.kept(e) || e.at().getEpochSecond() < oldest) {
                continue;
            }
            long v = SummaryItems.value(e.at(), e.eventId());
            byAttribute.computeIfAbsent(SummaryItems.attribute(Engagement.key(e.type(), null)), k -> new ArrayList<>()).add(v);
            if (e.campaign() != null) {
                byAttribute.computeIfAbsent(SummaryItems.attribute(Engagement.key(e.type(), e.campaign())), k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, AttributeValue> key = Map.of(Keys.PK, s(Keys.contact(contactId)), Keys.SK, s(Keys.SUMMARY));
        if (byAttribute.isEmpty()) {
            db.deleteItem(d -> d.tableName(config.table()).key(key));
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(Keys.TYPE, s(SummaryItems.TYPE));
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(now, config.retention())));
        byAttribute.forEach((name, values) -> {
            List<String> newest = values.stream().distinct().sorted(java.util.Comparator.reverseOrder()).limit(Engagement.KEEP)
                    .map(String::valueOf).toList();
            item.put(name, AttributeValue.builder().ns(newest).build());
        });
        db.putItem(p -> p.tableName(config.table()).item(item));
    }

    private boolean profileExists(String contactId) {
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(config.table()).consistentRead(true)
                .key(Map.of(Keys.PK, s(Keys.contact(contactId)), Keys.SK, s(Keys.PROFILE))).projectionExpression(Keys.PK)).item();
        return item != null && !item.isEmpty();
    }

    /** Drops the oldest times of any set past {@link Engagement#KEEP}, and times older than the retention. */
    private void prune(Map<String, AttributeValue> key, Map<String, AttributeValue> updated, Instant now) {
        long oldest = now.minus(config.retention()).getEpochSecond();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> deletes = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> a : updated.entrySet()) {
            if (!a.getKey().startsWith(SummaryItems.TIMES_PREFIX) || !a.getValue().hasNs()) {
                continue;
            }
            List<Long> sorted = a.getValue().ns().stream().map(Long::parseLong).sorted().toList();
            int excess = Math.max(0, sorted.size() - Engagement.KEEP);
            List<String> drop = new ArrayList<>();
            for (int j = 0; j < sorted.size(); j++) {
                if (j < excess || SummaryItems.secondOf(sorted.get(j)) < oldest) {
                    drop.add(Long.toString(sorted.get(j)));
                }
            }
            if (!drop.isEmpty()) {
                names.put("#d" + i, a.getKey());
                values.put(":d" + i, AttributeValue.builder().ns(drop).build());
                deletes.add("#d" + i + " :d" + i);
                i++;
            }
        }
        // Fifty sets an update, so that the expression stays far under DynamoDB's 4 KB.
        for (int from = 0; from < deletes.size(); from += 50) {
            List<String> part = deletes.subList(from, Math.min(deletes.size(), from + 50));
            Map<String, String> partNames = new HashMap<>();
            Map<String, AttributeValue> partValues = new HashMap<>();
            for (String d : part) {
                String name = d.substring(0, d.indexOf(' '));
                String value = d.substring(d.indexOf(' ') + 1);
                partNames.put(name, names.get(name));
                partValues.put(value, values.get(value));
            }
            db.updateItem(u -> u.tableName(config.table()).key(key).updateExpression("DELETE " + String.join(", ", part))
                    .expressionAttributeNames(partNames).expressionAttributeValues(partValues));
        }
    }
}
