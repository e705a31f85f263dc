package dev.tandem.aws.store;

import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.TriggerWork;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.DynamoContactStore.key;

/** The items of pending work, message lookups and campaign counters. */
final class RunItems {
    static final String TYPE = "run";

    private RunItems() {
    }

    /** A run a trigger starts, due at once: the decider arms it with the campaign's own timing. */
    static Map<String, AttributeValue> trigger(String contactId, TriggerWork w, StoreConfig config) {
        Map<String, AttributeValue> item = key(Keys.contact(contactId), Keys.run(w.campaign(), w.occurrence()));
        item.put(Keys.TYPE, s(TYPE));
        item.put("contactId", s(contactId));
        item.put("campaign", s(w.campaign()));
        item.put("occurrence", s(w.occurrence()));
        item.put("kind", s("trigger"));
        item.put("step", s(w.trigger()));
        item.put("startedAt", s(w.dueAt().toString()));
        item.put("dueAt", s(w.dueAt().toString()));
        item.put("armed", AttributeValue.builder().bool(false).build());
        item.put("data", AttributeValues.of(w.data()));
        item.put("status", s("due"));
        item.put("version", n(0));
        item.put(Keys.GSI1PK, s(Keys.due(contactId, config.shards())));
        item.put(Keys.GSI1SK, s(Keys.dueSort(w.dueAt(), contactId, w.campaign(), w.occurrence())));
        return item;
    }

    static Map<String, AttributeValue> messageLookup(SentMessage m, Instant at, StoreConfig config) {
        Map<String, AttributeValue> item = key(Keys.message(m.messageId()), Keys.LOOKUP);
        item.put(Keys.TYPE, s("message"));
        item.put("contactId", s(m.contactId()));
        item.put("channel", s(m.channel().wire()));
        if (m.campaign() != null) {
            item.put("campaign", s(m.campaign()));
        }
        if (m.step() != null) {
            item.put("step", s(m.step()));
        }
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(at, config.retention())));
        return item;
    }

    /** Adds one to each counter of a campaign, on the shard of the contact. */
    static Update count(String campaign, String contactId, List<String> counters, StoreConfig config) {
        Map<String, String> names = new HashMap<>();
        names.put("#type", Keys.TYPE);
        StringBuilder expr = new StringBuilder("SET #type = :type ADD ");
        for (int i = 0; i < counters.size(); i++) {
            names.put("#c" + i, counters.get(i));
            expr.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :one");
        }
        return Update.builder()
                .tableName(config.table())
                .key(key(Keys.campaign(campaign), Keys.stats(contactId, config.shards())))
                .updateExpression(expr.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":one", n(1), ":type", s("stats")))
                .build();
    }
}
