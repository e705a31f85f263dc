package dev.tandem.aws.store;

import dev.tandem.decide.Run;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.TriggerWork;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        Run run = new Run(contactId, w.campaign(), w.occurrence(), Run.Kind.TRIGGER, w.trigger(), w.dueAt(), w.dueAt(),
                false, w.data(), -1, null);
        return item(run, run.dueAt(), run.armed(), "due", config);
    }

    static Map<String, AttributeValue> runKey(Run run) {
        return key(Keys.contact(run.contactId()), Keys.run(run.campaign(), run.occurrence()));
    }

    /**
     * A run's item as first written: due (on the due index) at {@code due}, or ended in {@code status} (and
     * expiring with the retention).
     */
    static Map<String, AttributeValue> item(Run run, Instant due, boolean armed, String status, StoreConfig config) {
        Map<String, AttributeValue> item = runKey(run);
        item.put(Keys.TYPE, s(TYPE));
        item.put("contactId", s(run.contactId()));
        item.put("campaign", s(run.campaign()));
        item.put("occurrence", s(run.occurrence()));
        item.put("kind", s(run.kind() == Run.Kind.TRIGGER ? "trigger" : "launch"));
        item.put("step", s(run.step()));
        item.put("startedAt", s(run.startedAt().toString()));
        item.put("dueAt", s(due.toString()));
        item.put("armed", AttributeValue.builder().bool(armed).build());
        item.put("data", AttributeValues.of(run.data()));
        item.put("status", s(status));
        item.put("version", n(0));
        if ("due".equals(status)) {
            item.put(Keys.GSI1PK, s(Keys.due(run.contactId(), config.shards())));
            item.put(Keys.GSI1SK, s(Keys.dueSort(due, run.contactId(), run.campaign(), run.occurrence())));
        } else {
            item.put(Keys.EXPIRES_AT, n(EventItems.expiry(due, config.retention())));
        }
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

    /** Adds to counters of a campaign, on the stats shard of the contact: one write for a batch's counts. */
    /**
     * The updates that add {@code counters} to a campaign, each to a small item so that each costs one write unit:
     * totals on the contact's stats shard, a step's counts ({@link CampaignStats#STEP}) on the shard's item of that step,
     * an hour's ({@link CampaignStats#HOUR}) on the shard's item of that UTC hour.
     */
    static List<Update> count(String campaign, String contactId, Map<String, Long> counters, StoreConfig config) {
        Map<String, Map<String, Long>> byItem = new TreeMap<>();
        String shard = String.valueOf(Keys.shard(contactId, config.shards()));
        for (Map.Entry<String, Long> c : counters.entrySet()) {
            String name = c.getKey();
            String sk;
            if (name.startsWith(CampaignStats.HOUR) || name.startsWith(CampaignStats.STEP)) {
                // at/2026-11-27T05/email.sent: item SERIES#2026-11-27T05#3; step/email-1/email.sent: STEP#email-1#3
                boolean hour = name.startsWith(CampaignStats.HOUR);
                String rest = name.substring(hour ? CampaignStats.HOUR.length() : CampaignStats.STEP.length());
                int slash = rest.indexOf('/');
                sk = (hour ? Keys.SERIES_PREFIX : Keys.STEP_PREFIX) + rest.substring(0, slash) + "#" + shard;
                name = rest.substring(slash + 1);
            } else {
                sk = Keys.STATS_PREFIX + shard;
            }
            byItem.computeIfAbsent(sk, k -> new TreeMap<>()).put(name, c.getValue());
        }
        List<Update> out = new ArrayList<>();
        byItem.forEach((sk, adds) -> out.add(add(Keys.campaign(campaign), sk, adds, config)));
        return out;
    }

    private static Update add(String pk, String sk, Map<String, Long> counters, StoreConfig config) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#type", Keys.TYPE);
        values.put(":type", s("stats"));
        StringBuilder expr = new StringBuilder("SET #type = :type");
        if (sk.startsWith(Keys.SERIES_PREFIX)) {
            // An hour's counts go with the timeline's retention; the totals and the steps' stay with the campaign.
            Instant hour = Instant.parse(sk.substring(Keys.SERIES_PREFIX.length(), sk.lastIndexOf('#')) + ":00:00Z");
            names.put("#exp", Keys.EXPIRES_AT);
            values.put(":exp", n(EventItems.expiry(hour, config.retention())));
            expr.append(", #exp = :exp");
        }
        expr.append(" ADD ");
        int i = 0;
        for (Map.Entry<String, Long> c : counters.entrySet()) {
            names.put("#c" + i, c.getKey());
            values.put(":c" + i, n(c.getValue()));
            expr.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :c").append(i);
            i++;
        }
        return Update.builder()
                .tableName(config.table())
                .key(key(pk, sk))
                .updateExpression(expr.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /** The same update outside a transaction. */
    static UpdateItemRequest request(Update u) {
        return UpdateItemRequest.builder()
                .tableName(u.tableName())
                .key(u.key())
                .updateExpression(u.updateExpression())
                .conditionExpression(u.conditionExpression())
                .expressionAttributeNames(u.expressionAttributeNames())
                .expressionAttributeValues(u.expressionAttributeValues())
                .build();
    }
}
