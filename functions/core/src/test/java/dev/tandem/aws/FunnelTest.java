package dev.tandem.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunnelTest {
    private static final Instant NOW = Instant.parse("2026-12-01T17:00:00Z");
    private static final Set<String> UNITS = Set.of("Count", "Milliseconds");

    @AfterEach
    void forget() {
        Funnel.flush(new Metrics("x"), null, NOW, true);
    }

    private static List<Map<String, Object>> emitted(boolean byCampaign) {
        List<String> out = new ArrayList<>();
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                out.add(message);
            }

            @Override
            public void log(byte[] message) {
                out.add(new String(message, StandardCharsets.UTF_8).strip());
            }
        };
        Context ctx = (Context) Proxy.newProxyInstance(FunnelTest.class.getClassLoader(), new Class<?>[]{Context.class},
                (p, m, a) -> m.getName().equals("getLogger") ? logger : null);
        Funnel.flush(new Metrics("tandem-prod"), ctx, NOW, byCampaign);
        List<Map<String, Object>> lines = new ArrayList<>();
        out.forEach(l -> lines.add(Json.object(Json.read(l, ""), "")));
        lines.forEach(FunnelTest::validEmf);
        return lines;
    }

    /**
     * The Embedded Metric Format specification's rules: every dimension a directive names is a string member of the
     * root, every metric a number member, at most 30 dimensions a set, at most 100 metrics a directive, a known unit.
     */
    @SuppressWarnings("unchecked")
    private static void validEmf(Map<String, Object> line) {
        Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
        assertTrue(aws.get("Timestamp") instanceof Number, "Timestamp");
        for (Object o : (List<Object>) aws.get("CloudWatchMetrics")) {
            Map<String, Object> d = (Map<String, Object>) o;
            assertEquals("Tandem", d.get("Namespace"));
            for (List<String> set : (List<List<String>>) d.get("Dimensions")) {
                assertTrue(set.size() <= 30);
                set.forEach(dim -> assertTrue(line.get(dim) instanceof String, dim + " is a string member of " + line));
            }
            List<Map<String, Object>> metrics = (List<Map<String, Object>>) d.get("Metrics");
            assertTrue(metrics.size() <= 100);
            metrics.forEach(m -> {
                assertTrue(line.get((String) m.get("Name")) instanceof Number, m.get("Name") + " is a number member");
                assertTrue(UNITS.contains(m.get("Unit")));
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> dimsOf(Map<String, Object> line, String metric) {
        for (Object o : (List<Object>) ((Map<String, Object>) line.get("_aws")).get("CloudWatchMetrics")) {
            Map<String, Object> d = (Map<String, Object>) o;
            if (((List<Map<String, Object>>) d.get("Metrics")).stream().anyMatch(m -> metric.equals(m.get("Name")))) {
                return (List<List<String>>) d.get("Dimensions");
            }
        }
        return List.of();
    }

    private static Map<String, Object> lineWith(List<Map<String, Object>> lines, String metric, String channel) {
        return lines.stream().filter(l -> l.containsKey(metric) && (channel == null || channel.equals(l.get("Channel"))))
                .findFirst().orElseThrow(() -> new AssertionError(metric + " on " + channel + " in " + lines));
    }

    @Test
    void theStatsCountersBecomeTheFunnelByChannelAndCampaign() {
        Funnel.counted("winter", Map.of("email.sent", 3L, "email.open.human", 2L, "email.open.machine", 1L,
                "step/email-1/email.sent", 3L, "at/2026-12-01T17/email.sent", 3L, "variant/B/email.sent", 2L));
        Funnel.counted("winter", Map.of("sms.sent", 1L, "sms.reply", 1L, "conversion", 1L));
        Funnel.counted("spring", Map.of("email.sent", 5L));
        List<Map<String, Object>> lines = emitted(true);

        Map<String, Object> winterEmail = lines.stream().filter(l -> "winter".equals(l.get("Campaign")) && "email".equals(l.get("Channel"))).findFirst().orElseThrow();
        assertEquals(3, ((Number) winterEmail.get("Sent")).intValue(), "totals only: the step, hour and group names are not added");
        assertTrue(lines.stream().allMatch(l -> l.get("Channel") == null || Set.of("email", "sms").contains(l.get("Channel"))),
                "no channel but email and sms: " + lines);
        assertEquals(2, ((Number) winterEmail.get("HumanOpens")).intValue());
        assertEquals(List.of(List.of("Stack", "Channel"), List.of("Stack", "Channel", "Campaign")), dimsOf(winterEmail, "Sent"));
        assertEquals(List.of(List.of("Stack", "Channel")), dimsOf(winterEmail, "MachineOpens"), "machine opens: per channel only");
        assertEquals("tandem-prod", winterEmail.get("Stack"));
        Map<String, Object> conversions = lineWith(lines, "Conversions", null);
        assertEquals(List.of(List.of("Stack"), List.of("Stack", "Campaign")), dimsOf(conversions, "Conversions"));
        assertEquals(1, ((Number) lineWith(lines, "Replies", "sms").get("Replies")).intValue());
        assertTrue(lines.stream().anyMatch(l -> "spring".equals(l.get("Campaign")) && ((Number) l.get("Sent")).intValue() == 5));
    }

    @Test
    void reasonsAreSummedAcrossCampaignsAndNeverCarryTheCampaign() {
        Funnel.counted("winter", Map.of("sms.deferred.quiet-hours", 2L, "email.skipped.no-consent", 1L));
        Funnel.counted("spring", Map.of("sms.deferred.quiet-hours", 3L));
        List<Map<String, Object>> lines = emitted(true);
        Map<String, Object> quiet = lines.stream().filter(l -> "quiet-hours".equals(l.get("Reason"))).findFirst().orElseThrow();
        assertEquals(5, ((Number) quiet.get("Deferred")).intValue());
        assertEquals("sms", quiet.get("Channel"));
        assertFalse(quiet.containsKey("Campaign"));
        assertEquals(List.of(List.of("Stack", "Channel", "Reason")), dimsOf(quiet, "Deferred"));
        assertEquals(1, ((Number) lines.stream().filter(l -> "no-consent".equals(l.get("Reason"))).findFirst().orElseThrow().get("Skipped")).intValue());
    }

    @Test
    void withCampaignMetricsOffNoLineNamesACampaign() {
        Funnel.counted("winter", Map.of("email.sent", 3L, "conversion", 2L));
        List<Map<String, Object>> lines = emitted(false);
        assertTrue(lines.stream().noneMatch(l -> l.containsKey("Campaign")), lines.toString());
        assertEquals(List.of(List.of("Stack", "Channel")), dimsOf(lineWith(lines, "Sent", "email"), "Sent"));
    }

    @Test
    void ingestionAgeIsTheOldestEventPerChannelAndThrottlesCount() {
        Funnel.ingested("email", NOW.minusSeconds(90));
        Funnel.ingested("email", NOW.minusSeconds(5));
        Funnel.ingested("sms", NOW.minusSeconds(2));
        Funnel.throttled("sms", 4);
        List<Map<String, Object>> lines = emitted(true);
        assertEquals(90_000, ((Number) lineWith(lines, "IngestionAge", "email").get("IngestionAge")).intValue());
        assertEquals(2_000, ((Number) lineWith(lines, "IngestionAge", "sms").get("IngestionAge")).intValue());
        assertEquals(4, ((Number) lineWith(lines, "Throttles", "sms").get("Throttles")).intValue());
        assertEquals(List.of(), emitted(true), "a flush forgets what it wrote");
    }
}
