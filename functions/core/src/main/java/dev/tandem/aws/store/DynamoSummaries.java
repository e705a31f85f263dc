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

    /** Adds one contact's events to its summary. Machine opens and link previews are not engagement and add nothing. */
    public void add(String contactId, List<TimelineEvent> events, Instant now) {
        Map<String, Set<String>> byAttribute = new LinkedHashMap<>();
        for (TimelineEvent e : events) {
            if (e.machine()) {
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
        Map<String, String> names = new HashMap<>(Map.of("#type", Keys.TYPE, "#g1pk", Keys.GSI1PK, "#g1sk", Keys.GSI1SK,
                "#exp", Keys.EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":type", s(SummaryItems.TYPE),
                ":g1pk", s(Keys.summary(contactId, config.shards())), ":g1sk", s(contactId),
                ":exp", n(EventItems.expiry(now, config.retention()))));
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Set<String>> a : byAttribute.entrySet()) {
            names.put("#a" + i, a.getKey());
            values.put(":a" + i, AttributeValue.builder().ns(a.getValue()).build());
            adds.add("#a" + i + " :a" + i);
            i++;
        }
        String expr = "SET #type = :type, #g1pk = :g1pk, #g1sk = :g1sk, #exp = :exp ADD " + String.join(", ", adds);
        Map<String, AttributeValue> key = Map.of(Keys.PK, s(Keys.contact(contactId)), Keys.SK, s(Keys.SUMMARY));
        UpdateItemResponse r = db.updateItem(u -> u.tableName(config.table()).key(key).updateExpression(expr)
                .expressionAttributeNames(names).expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW));
        prune(key, r.attributes(), now);
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
        if (!deletes.isEmpty()) {
            db.updateItem(u -> u.tableName(config.table()).key(key).updateExpression("DELETE " + String.join(", ", deletes))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        }
    }
}
