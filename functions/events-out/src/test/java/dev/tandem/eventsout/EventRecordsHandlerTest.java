package dev.tandem.eventsout;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRecordsHandlerTest {

    /** A stream record in the envelope of AWS's published Lambda example, around one of our items. */
    private static Map<String, Object> record(String name, Map<String, Object> newImage, Map<String, Object> oldImage) throws Exception {
        Map<String, Object> rec;
        try (InputStream in = EventRecordsHandlerTest.class.getResourceAsStream("/lambda-dynamodb-example.json")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> example = (List<Map<String, Object>>) ((Map<String, Object>) Json.read(in)).get("Records");
            rec = new LinkedHashMap<>(example.get(0));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> ddb = new LinkedHashMap<>((Map<String, Object>) rec.get("dynamodb"));
        ddb.put("NewImage", newImage);
        if (oldImage != null) {
            ddb.put("OldImage", oldImage);
        }
        rec.put("dynamodb", ddb);
        rec.put("eventName", name);
        return rec;
    }

    private static Map<String, Object> s(String v) {
        return Map.of("S", v);
    }

    private static Map<String, Object> eventItem() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("PK", s("C#c1"));
        item.put("SK", s("E#2026-11-27T05:00:00Z#e1"));
        item.put("type", s("event"));
        item.put("eventId", s("e1"));
        item.put("eventType", s("email.open"));
        item.put("at", s("2026-11-27T05:00:00Z"));
        item.put("campaign", s("welcome"));
        item.put("step", s("email-1"));
        item.put("messageId", s("m-1"));
        item.put("data", Map.of("M", Map.of("machine", Map.of("BOOL", true))));
        return item;
    }

    private static Map<String, Object> line(String at, String action, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", s(at));
        m.put("contact", s("c1"));
        m.put("campaign", s("welcome"));
        m.put("step", s("sms-1"));
        m.put("action", s(action));
        m.put("channel", s("sms"));
        if (reason != null) {
            m.put("reason", s(reason));
        }
        return Map.of("M", m);
    }

    private static Map<String, Object> runItem(List<Object> history) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("PK", s("C#c1"));
        item.put("SK", s("RUN#welcome#-"));
        item.put("type", s("run"));
        item.put("campaign", s("welcome"));
        item.put("occurrence", s("-"));
        item.put("version", Map.of("N", "3"));
        item.put("history", Map.of("L", history));
        return item;
    }

    /** A bus that takes everything, or refuses the n-th record it is given (from 0) and every call after. */
    private static final class FakeBus implements EventRecordsHandler.Bus {
        final List<Map<String, Object>> taken = new ArrayList<>();
        final List<Integer> calls = new ArrayList<>();
        int refuseAt = Integer.MAX_VALUE;
        int given;

        @Override
        public List<Boolean> put(List<Map<String, Object>> records) {
            calls.add(records.size());
            List<Boolean> out = new ArrayList<>();
            for (Map<String, Object> r : records) {
                boolean ok = given++ < refuseAt;
                out.add(ok);
                if (ok) {
                    taken.add(r);
                }
            }
            return out;
        }
    }

    private static Map<String, Object> answer(EventRecordsHandler.Bus bus, List<Map<String, Object>> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new EventRecordsHandler(bus).handleRequest(new ByteArrayInputStream(Json.write(Map.of("Records", batch))
                    .getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) Json.read(out.toString(StandardCharsets.UTF_8), "answer");
        return answer;
    }

    /** What the bus took of a batch, which must have failed nothing. */
    private static List<Map<String, Object>> run(List<Map<String, Object>> batch) {
        FakeBus bus = new FakeBus();
        assertEquals(List.of(), answer(bus, batch).get("batchItemFailures"));
        return bus.taken;
    }

    @Test
    void awsPublishedExampleIsReadAndYieldsNothingForAnItemNotOurs() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/lambda-dynamodb-example.json")) {
            FakeBus bus = new FakeBus();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new EventRecordsHandler(bus).handleRequest(in, out, null);
            assertEquals(Map.of("batchItemFailures", List.of()), Json.read(out.toString(StandardCharsets.UTF_8), "answer"));
            assertEquals(List.of(), bus.taken);
        }
    }

    @Test
    void recordsGoOutTenToACallInTheStreamsOrder() throws Exception {
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            lines.add(line("2026-11-27T05:00:00Z", "deferred", "quiet-hours"));
        }
        FakeBus bus = new FakeBus();
        Map<String, Object> answer = answer(bus, List.of(record("INSERT", runItem(lines), null), record("INSERT", eventItem(), null)));
        assertEquals(List.of(), answer.get("batchItemFailures"));
        assertEquals(List.of(10, 4), bus.calls, "one stream record may yield more than ten records: they are split");
        assertEquals("decision:c1:welcome:-:12", bus.taken.get(12).get("id"));
        assertEquals("event:c1:e1", bus.taken.get(13).get("id"));
    }

    @Test
    void aRecordTheBusRefusesIsReportedByItsStreamRecordAndNothingAfterItGoes() throws Exception {
        Map<String, Object> first = record("INSERT", eventItem(), null);
        Map<String, Object> second = record("INSERT", runItem(List.of(line("2026-11-27T05:00:00Z", "sent", null))), null);
        second = withSequence(second, "222");
        Map<String, Object> third = withSequence(record("INSERT", runItem(List.of(line("2026-11-27T05:00:00Z", "sent", null),
                line("2026-11-27T06:00:00Z", "sent", null))), null), "333");
        FakeBus bus = new FakeBus();
        bus.refuseAt = 1;
        Map<String, Object> answer = answer(bus, List.of(first, second, third));
        assertEquals(List.of(Map.of("itemIdentifier", "222")), answer.get("batchItemFailures"));
        assertEquals(List.of("event:c1:e1"), bus.taken.stream().map(r -> r.get("id")).toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withSequence(Map<String, Object> rec, String sequence) {
        Map<String, Object> r = new LinkedHashMap<>(rec);
        Map<String, Object> ddb = new LinkedHashMap<>((Map<String, Object>) r.get("dynamodb"));
        ddb.put("SequenceNumber", sequence);
        r.put("dynamodb", ddb);
        return r;
    }

    @Test
    void aNewTimelineEventIsOneRecordWithItsIds() throws Exception {
        List<Map<String, Object>> out = run(List.of(record("INSERT", eventItem(), null)));
        assertEquals(1, out.size());
        Map<String, Object> r = out.get(0);
        assertEquals("event:c1:e1", r.get("id"));
        assertEquals("event", r.get("kind"));
        assertEquals("email.open", r.get("type"));
        assertEquals("c1", r.get("contact"));
        assertEquals("welcome", r.get("campaign"));
        assertEquals("email-1", r.get("step"));
        assertEquals("email", r.get("channel"));
        assertEquals("2026-11-27T05:00:00Z", r.get("at"));
        assertEquals("e1", r.get("eventId"));
        assertEquals("m-1", r.get("messageId"));
        assertEquals(Map.of("machine", true), r.get("data"));
    }

    @Test
    void aConsentHistoryLineIsOneRecordWithoutTheIpAddress() throws Exception {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("PK", s("C#c1"));
        item.put("SK", s("CONSENT#2026-11-27T05:00:00.000Z#sms#subscribed#double-opt-in"));
        item.put("type", s("consent"));
        item.put("channel", s("sms"));
        item.put("status", s("subscribed"));
        item.put("source", s("double-opt-in"));
        item.put("at", s("2026-11-27T05:00:00Z"));
        item.put("evidence", Map.of("M", Map.of("keyword", s("YES"), "ip", s("203.0.113.9"))));

        List<Map<String, Object>> out = run(List.of(record("INSERT", item, null)));

        assertEquals(List.of(Map.of("id", "consent:c1:2026-11-27T05:00:00.000Z#sms#subscribed#double-opt-in", "kind", "consent",
                "type", "consent.changed", "contact", "c1", "channel", "sms", "at", "2026-11-27T05:00:00Z", "status", "subscribed",
                "source", "double-opt-in", "evidence", Map.of("keyword", "YES"))), out);
    }

    @Test
    void aRunsWriteYieldsOnlyTheDecisionLinesItAdded() throws Exception {
        List<Object> two = List.of(line("2026-11-27T05:00:00Z", "deferred", "quiet-hours"), line("2026-11-27T08:00:00Z", "deferred", "cap-24h"));
        List<Object> three = new ArrayList<>(two);
        three.add(line("2026-11-27T09:00:00Z", "sent", null));
        List<Map<String, Object>> first = run(List.of(record("INSERT", runItem(two), null)));
        assertEquals(List.of("decision:c1:welcome:-:0", "decision:c1:welcome:-:1"), first.stream().map(r -> r.get("id")).toList());
        assertEquals("decision.deferred", first.get(0).get("type"));
        assertEquals("quiet-hours", first.get(0).get("reason"));
        assertEquals("sms", first.get(0).get("channel"));

        List<Object> withVariant = new ArrayList<>(three);
        Map<String, Object> held = new LinkedHashMap<>();
        held.put("M", new LinkedHashMap<>(Map.of("at", s("2026-11-27T09:30:00Z"), "action", s("skipped"), "reason", s("holdout"), "variant", s("holdout"))));
        withVariant.add(held);
        assertEquals("holdout", run(List.of(record("MODIFY", runItem(withVariant), runItem(three)))).get(0).get("variant"),
                "a decision record carries the experiment group");
        List<Map<String, Object>> next = run(List.of(record("MODIFY", runItem(three), runItem(two))));
        assertEquals(1, next.size());
        assertEquals("decision:c1:welcome:-:2", next.get(0).get("id"));
        assertEquals("sent", next.get(0).get("action"));
        assertEquals("decision", next.get(0).get("kind"));

        // A write that moved the run without deciding (a claim, a new due time) adds no record.
        assertEquals(List.of(), run(List.of(record("MODIFY", runItem(three), runItem(three)))));
    }

    @Test
    void theSameBatchGivenAgainGivesTheSameIds() throws Exception {
        List<Map<String, Object>> batch = List.of(record("INSERT", eventItem(), null),
                record("INSERT", runItem(List.of(line("2026-11-27T05:00:00Z", "skipped", "no-consent"))), null));
        List<Object> ids = run(batch).stream().map(r -> r.get("id")).toList();
        assertEquals(ids, run(batch).stream().map(r -> r.get("id")).toList());
        assertEquals(2, ids.size());
    }

    @Test
    void aRemovedProfileIsTheContactsErasureAndOtherRemovalsAreNothing() throws Exception {
        Map<String, Object> rec = new LinkedHashMap<>(record("INSERT", eventItem(), null));
        rec.put("eventName", "REMOVE");
        rec.put("eventID", "c81e728d9d4c2f636f067f89cc14862c");
        @SuppressWarnings("unchecked")
        Map<String, Object> ddb = new LinkedHashMap<>((Map<String, Object>) rec.get("dynamodb"));
        ddb.remove("NewImage");
        ddb.put("Keys", Map.of("PK", s("C#c1"), "SK", s("PROFILE")));
        ddb.put("ApproximateCreationDateTime", 1796144400);
        rec.put("dynamodb", ddb);
        List<Map<String, Object>> out = run(List.of(rec));
        assertEquals(1, out.size());
        assertEquals("contact.erased", out.get(0).get("type"));
        assertEquals("erased:c1:c81e728d9d4c2f636f067f89cc14862c", out.get(0).get("id"));
        assertEquals("2026-12-01T17:00:00Z", out.get(0).get("at"));

        ddb.put("Keys", Map.of("PK", s("C#c1"), "SK", s("E#2026-11-27T05:00:00Z#e1")));
        assertEquals(List.of(), run(List.of(rec)), "an event expired or erased is no record of its own");
    }

    @Test
    void anUnreadableRecordIsNamedAndTheBatchIsGivenAgainFromIt() throws Exception {
        Map<String, Object> broken = new LinkedHashMap<>(eventItem());
        broken.remove("eventId");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventRecordsHandler.records(List.of(record("INSERT", eventItem(), null), record("INSERT", broken, null))));
        assertTrue(e.getMessage().contains("stream record 1") && e.getMessage().contains("eventId"), e.getMessage());

        FakeBus bus = new FakeBus();
        Map<String, Object> answer = answer(bus, List.of(record("INSERT", eventItem(), null), withSequence(record("INSERT", broken, null), "999")));
        assertEquals(List.of(Map.of("itemIdentifier", "999")), answer.get("batchItemFailures"));
        assertEquals(1, bus.taken.size(), "the record before it went out");
    }
}
