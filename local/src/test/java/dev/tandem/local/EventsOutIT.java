package dev.tandem.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events out on the local stack: the demo scenario runs, then every timeline event its table holds and every decision
 * line its runs hold is read back from the emulator's events bucket (stream, EventRecordsFunction, bus, rule,
 * Firehose, S3), each exactly once, and the decision records are the simulator's decision lines. Then a contact is
 * erased, read by an event source started over from the stream's oldest record: its records come again with the same ids, and
 * the only new id is the erasure's.
 */
class EventsOutIT {

    @Test
    void everyEventAndDecisionOfASimulationIsInTheBucketExactlyOnce() throws Exception {
        Template template = Emulator.template();
        EventsBucket bucket = new EventsBucket(template);
        HashSet<String> before = new HashSet<>(bucket.keys());
        String table = Emulator.freshTable("events-out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Simulator simulator = new Simulator(template, Scenario.read(Emulator.root().resolve("events/scenarios/demo.json")),
                Simulator.overrides(table), new PrintStream(log, true, StandardCharsets.UTF_8));
        Simulator.Result result;
        List<Map<String, AttributeValue>> items;
        try {
            result = simulator.run();
            items = Emulator.itemsMentioning(table, "");
            check(bucket, before, result, items, log);
            erasureAndRedelivery(template, bucket, table);
        } finally {
            new Bootstrap(template).dropTable(table);
        }
    }

    /**
     * A contact erased is one {@code contact.erased} record. An event source that starts again from the stream's
     * oldest record (as a new one does, with TRIM_HORIZON) publishes every record again, with the ids it had: a
     * consumer that deduplicates on ids sees nothing new but the erasure.
     */
    private static void erasureAndRedelivery(Template template, EventsBucket bucket, String table) {
        java.util.Set<String> seenKeys = new HashSet<>(bucket.keys());
        java.util.Set<String> seenIds = new HashSet<>();
        bucket.records(java.util.Set.of()).forEach(r -> seenIds.add(String.valueOf(r.get("id"))));
        LocalFunctions again = new LocalFunctions(template, java.time.Clock.systemUTC(), Simulator.overrides(table));
        new LocalClient(again).ok("DELETE", "/contacts/finn", null);
        again.stream().drain();
        List<Map<String, Object>> records = bucket.records(seenKeys);
        List<Map<String, Object>> fresh = records.stream().filter(r -> !seenIds.contains(String.valueOf(r.get("id")))).toList();
        assertEquals(1, fresh.size(), "only the erasure is new: " + fresh);
        assertEquals("contact.erased", fresh.get(0).get("type"));
        assertEquals("finn", fresh.get(0).get("contact"));
        assertTrue(records.size() > 40, "the stream was given again from its start: " + records.size());
    }

    private static void check(EventsBucket bucket, java.util.Set<String> before, Simulator.Result result,
                              List<Map<String, AttributeValue>> items, ByteArrayOutputStream log) {

        // What the table holds: each timeline event, each line of each run's history, each line of a consent history.
        List<String> expected = new ArrayList<>();
        int lines = 0;
        for (Map<String, AttributeValue> item : items) {
            String type = item.get("type") == null ? null : item.get("type").s();
            String pk = item.get("PK").s();
            if (!pk.startsWith("C#")) {
                continue;
            }
            String contact = pk.substring(2);
            if ("event".equals(type)) {
                expected.add("event:" + contact + ":" + item.get("eventId").s());
            } else if ("consent".equals(type)) {
                expected.add("consent:" + contact + ":" + item.get("SK").s().substring("CONSENT#".length()));
            } else if ("run".equals(type) && item.get("history") != null) {
                int n = item.get("history").l().size();
                for (int i = 0; i < n; i++) {
                    expected.add("decision:" + contact + ":" + item.get("campaign").s() + ":" + item.get("occurrence").s() + ":" + i);
                }
                lines += n;
            }
        }
        assertTrue(expected.size() > 40 && lines > 20, "the demo leaves events and decisions: " + expected.size());

        List<Map<String, Object>> records = bucket.records(before);
        Map<String, Integer> seen = new TreeMap<>();
        records.forEach(r -> seen.merge(String.valueOf(r.get("id")), 1, Integer::sum));
        List<String> doubled = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), doubled, "records published twice");
        List<String> missing = expected.stream().filter(id -> !seen.containsKey(id)).toList();
        assertEquals(List.of(), missing, "records missing from the bucket");
        assertEquals(new TreeMap<>(seen).keySet(), new java.util.TreeSet<>(expected), "records of nothing in the table");

        // The decision records say what the simulator's decision lines say, one for one.
        List<String> decided = new ArrayList<>();
        result.decisions().forEach(d -> decided.add(key(d)));
        List<String> published = new ArrayList<>();
        records.stream().filter(r -> "decision".equals(r.get("kind"))).forEach(r -> {
            published.add(key(r));
            assertEquals("decision." + r.get("action"), r.get("type"));
        });
        decided.sort(null);
        published.sort(null);
        assertEquals(decided, published);

        // Every record has the fields a consumer filters on.
        for (Map<String, Object> r : records) {
            for (String field : List.of("id", "kind", "type", "contact", "at")) {
                assertTrue(r.get(field) != null, field + " missing in " + r);
            }
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("events out: "), log.toString(StandardCharsets.UTF_8));
        assertFalse(bucket.keys().stream().anyMatch(k -> !k.startsWith("events/dt=")), "objects outside events/dt=YYYY-MM-DD/");
    }

    private static String key(Map<String, Object> d) {
        return d.get("at") + "|" + d.get("contact") + "|" + d.get("campaign") + "|" + d.get("step") + "|" + d.get("action")
                + "|" + d.get("channel") + "|" + d.get("reason");
    }
}
