package dev.tandem.local;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segments end to end on the emulator: contacts and events through the API, engagement summaries kept by
 * SummaryFunction from the table's stream, counts and member pages, a launch to a segment, a recurring campaign's
 * schedule, and the export of everything held about a contact.
 */
class SegmentIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");
    private static String table;
    private final SimClock clock = new SimClock(T0);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private LocalFunctions functions;
    private LocalClient api;

    @BeforeAll
    static void table() {
        table = Emulator.freshTable("segment-it");
    }

    private void start() {
        functions = new LocalFunctions(Emulator.template(), clock, Map.of("TABLE_NAME", table, "SES_RATE_PER_SECOND", "500",
                "SMS_RATE_PER_SECOND", "500", "DECISION_ECHO", "1000", "PUBLIC_BASE_URL", "https://t.example.com"));
        api = new LocalClient(functions);
    }

    /** Contact n: gold when n % 3 == 0, in CA when even; SMS consent when n % 4 != 1; clicked when n % 5 == 0. */
    private String contact(int n) {
        String id = "seg-" + run + "-" + n;
        api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com",
                "phone", "+1416" + String.format("%07d", Math.floorMod((run + n).hashCode(), 10_000_000)),
                "timezone", "America/Toronto",
                "consent", Map.of("email", "subscribed", "sms", n % 4 == 1 ? "unsubscribed" : "subscribed"),
                "attributes", Map.of("firstName", "P" + n, "tier", n % 3 == 0 ? "gold" : "silver",
                        "country", n % 2 == 0 ? "CA" : "US", "run", run, "spend", n * 10)));
        if (n % 5 == 0) {
            api.ok("POST", "/events", Map.of("eventId", id + "-cart", "contactId", id, "type", "custom.cart_added",
                    "at", T0.minus(Duration.ofDays(2)).toString()));
        }
        if (n % 7 == 0) {
            api.ok("POST", "/events", Map.of("eventId", id + "-buy", "contactId", id, "type", "conversion",
                    "at", T0.minus(Duration.ofDays(1)).toString(), "value", 10));
        }
        return id;
    }

    private Map<String, Object> where() {
        return Map.of("all", List.of(
                Map.of("attr", "run", "eq", run),
                Map.of("any", List.of(Map.of("attr", "tier", "eq", "gold"), Map.of("attr", "spend", "gte", 200))),
                Map.of("channel", "sms", "reachable", true),
                Map.of("event", "custom.cart_added", "within", "P7D"),
                Map.of("event", "conversion", "within", "P7D", "max", 0)));
    }

    private static boolean oracle(int n) {
        return (n % 3 == 0 || n * 10 >= 200) && n % 4 != 1 && n % 5 == 0 && n % 7 != 0;
    }

    @Test
    @SuppressWarnings("unchecked")
    void countsPagesAndLaunchesToASegmentOfAttributesReachabilityEventsAndHasNot() {
        start();
        TreeSet<String> expected = new TreeSet<>();
        for (int n = 0; n < 40; n++) {
            String id = contact(n);
            if (oracle(n)) {
                expected.add(id);
            }
        }
        api.ok("PUT", "/segments/hot-" + run, Map.of("where", where()));

        assertEquals(where(), api.ok("GET", "/segments/hot-" + run, null).json().get("where"));
        assertEquals(expected.size(), ((Number) api.ok("GET", "/segments/hot-" + run + "/count", null).json().get("count")).intValue());

        TreeSet<String> paged = new TreeSet<>();
        String next = null;
        int pages = 0;
        do {
            Map<String, Object> page = api.ok("GET", "/segments/hot-" + run + "/contacts?limit=2" + (next == null ? "" : "&next=" + next), null).json();
            paged.addAll((List<String>) page.get("contacts"));
            next = (String) page.get("next");
            pages++;
        } while (next != null);
        assertEquals(expected, paged);
        assertTrue(pages > 1, "pages of two");

        api.ok("PUT", "/templates/t-" + run, Map.of("channel", "sms", "body", "{{contact.firstName}}: {{campaign.topic}} {{link}}"));
        api.ok("PUT", "/campaigns/c-" + run, Map.of("topic", "cart reminder", "playbook", "best-channel", "sms", "t-" + run,
                "link", "https://shop.example.com/cart"));
        List<Map<String, Object>> preview = (List<Map<String, Object>>) api.ok("POST", "/campaigns/c-" + run + "/preview",
                Map.of("audience", Map.of("segment", "hot-" + run))).json().get("decisions");
        assertEquals(expected, new TreeSet<>(preview.stream().map(d -> (String) d.get("contact")).toList()));

        api.ok("POST", "/campaigns/c-" + run + "/launch", Map.of("audience", Map.of("segment", "hot-" + run)));
        Map<String, Object> decided = (Map<String, Object>) Json.read(functions.decideAndSend("{\"source\":\"schedule\"}",
                functions.context("DeciderFunction", true)), "");
        List<Map<String, Object>> sent = ((List<Map<String, Object>>) decided.get("decisions")).stream()
                .filter(d -> "sent".equals(d.get("action"))).toList();
        assertEquals(expected, new TreeSet<>(sent.stream().map(d -> (String) d.get("contact")).toList()));
    }

    @Test
    void anEventRefusedAsAConflictNeverReachesASegmentAndADuplicateCountsOnce() {
        start();
        String id = contact(1);
        Map<String, Object> signup = Map.of("eventId", id + "-e", "contactId", id, "type", "custom.signup", "at", T0.minusSeconds(60).toString());
        api.ok("POST", "/events", signup);
        api.ok("POST", "/events", signup);
        LocalClient.Response reused = api.call("POST", "/events", List.of(
                Map.of("eventId", id + "-f", "contactId", id, "type", "custom.ghost", "at", T0.minusSeconds(30).toString()),
                Map.of("eventId", id + "-e", "contactId", id, "type", "custom.other", "at", T0.minusSeconds(30).toString())));
        assertEquals(409, reused.status(), "an event id reused for another event refuses the whole batch");
        api.ok("PUT", "/segments/twice-" + run, Map.of("where", Map.of("all", List.of(Map.of("attr", "run", "eq", run),
                Map.of("event", "custom.signup", "min", 2)))));
        api.ok("PUT", "/segments/ghost-" + run, Map.of("where", Map.of("all", List.of(Map.of("attr", "run", "eq", run),
                Map.of("any", List.of(Map.of("event", "custom.ghost"), Map.of("event", "custom.other")))))));
        api.ok("PUT", "/segments/once-" + run, Map.of("where", Map.of("all", List.of(Map.of("attr", "run", "eq", run),
                Map.of("event", "custom.signup", "min", 1, "max", 1)))));

        assertEquals(0, ((Number) api.ok("GET", "/segments/twice-" + run + "/count", null).json().get("count")).intValue());
        assertEquals(0, ((Number) api.ok("GET", "/segments/ghost-" + run + "/count", null).json().get("count")).intValue());
        assertEquals(1, ((Number) api.ok("GET", "/segments/once-" + run + "/count", null).json().get("count")).intValue());
    }

    @Test
    void aSegmentThatDoesNotParseIsRefusedNamingThePathInTheTree() {
        start();
        LocalClient.Response r = api.call("PUT", "/segments/bad-" + run, Map.of("where", Map.of("all", List.of(
                Map.of("attr", "tier", "eq", "gold"), Map.of("event", "email.open", "within", "a month")))));
        assertEquals(400, r.status());
        assertEquals("where.all[1].within", r.json().get("field"));
        assertEquals(404, api.call("GET", "/segments/none-" + run + "/count", null).status());
        LocalClient.Response launch = api.call("POST", "/campaigns/none/launch", Map.of("audience", Map.of("segment", "x")));
        assertEquals(404, launch.status(), "the campaign is looked up first");

        api.ok("PUT", "/segments/all-" + run, Map.of("where", Map.of("attr", "run", "eq", run)));
        for (String next : List.of("4:eyJHU0kxUEsiOiJBVUQjNCJ9", "x", "1:%%%", "2:" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"GSI1PK\":\"AUD#3\",\"GSI1SK\":\"a\",\"PK\":\"C#a\",\"SK\":\"PROFILE\"}".getBytes()))) {
            LocalClient.Response r2 = api.call("GET", "/segments/all-" + run + "/contacts?next=" + next, null);
            assertEquals(400, r2.status(), next);
            assertEquals("next", r2.json().get("field"), next);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRecurringCampaignLaunchGetsACronScheduleInItsZoneAndEachOccurrenceEnrolsTheNewlyQualified() {
        start();
        api.ok("PUT", "/segments/gold-" + run, Map.of("where", Map.of("all", List.of(Map.of("attr", "run", "eq", run),
                Map.of("attr", "tier", "eq", "gold")))));
        api.ok("PUT", "/templates/e-" + run, Map.of("channel", "email", "subject", "Hi {{contact.firstName}}", "body", "<p>Hi</p>"));
        api.ok("PUT", "/campaigns/daily-" + run, Map.of("playbook", "best-channel", "email", "e-" + run,
                "recurring", Map.of("every", "P1D", "at", "09:00", "timezone", "America/Toronto", "reentry", "once")));
        String first = contact(3);
        Map<String, Object> launched = api.ok("POST", "/campaigns/daily-" + run + "/launch",
                Map.of("audience", Map.of("segment", "gold-" + run))).json();
        assertEquals(true, launched.get("recurring"));
        assertEquals("2026-12-02T14:00:00Z", launched.get("at"), "the first 09:00 in Toronto after the launch");
        try (SchedulerClient scheduler = SchedulerClient.create()) {
            var s = scheduler.getSchedule(g -> g.groupName(functions.environment("ApiFunction").get("SCHEDULE_GROUP"))
                    .name((String) launched.get("schedule")));
            assertEquals("cron(0 9 * * ? *)", s.scheduleExpression());
            assertEquals("America/Toronto", s.scheduleExpressionTimezone());
        }

        clock.set(Instant.parse("2026-12-02T14:00:00Z"));
        assertEquals(List.of(first), sentTo());
        String second = contact(6);
        clock.set(Instant.parse("2026-12-03T14:00:00Z"));
        assertEquals(List.of(second), sentTo(), "only the newly qualified enter");

        String group = functions.environment("ApiFunction").get("SCHEDULE_GROUP");
        String name = (String) launched.get("schedule");
        api.ok("PUT", "/campaigns/daily-" + run, Map.of("playbook", "best-channel", "email", "e-" + run,
                "recurring", Map.of("every", "P7D", "at", "10:30", "timezone", "America/Toronto")));
        try (SchedulerClient scheduler = SchedulerClient.create()) {
            var s = scheduler.getSchedule(g -> g.groupName(group).name(name));
            assertEquals("cron(30 10 ? * FRI *)", s.scheduleExpression(), "a new rhythm replaces the schedule");
            api.ok("PUT", "/campaigns/daily-" + run, Map.of("playbook", "best-channel", "email", "e-" + run));
            org.junit.jupiter.api.Assertions.assertThrows(software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException.class,
                    () -> scheduler.getSchedule(g -> g.groupName(group).name(name)), "no longer recurring: the schedule is gone");
        }
        clock.set(Instant.parse("2026-12-04T14:00:00Z"));
        contact(9);
        assertEquals(List.of(), sentTo(), "the recurrence ended at its next time");
    }

    @Test
    void aRecurringLaunchWhoseUntilComesBeforeItsFirstOccurrenceIsRefused() {
        start();
        api.ok("PUT", "/templates/u-" + run, Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>"));
        api.ok("PUT", "/campaigns/u-" + run, Map.of("playbook", "best-channel", "email", "u-" + run,
                "recurring", Map.of("every", "P1D", "at", "09:00", "until", "2026-12-01T18:00:00Z")));
        LocalClient.Response r = api.call("POST", "/campaigns/u-" + run + "/launch", Map.of());
        assertEquals(400, r.status());
        assertEquals("recurring.until", r.json().get("field"));
    }

    @SuppressWarnings("unchecked")
    private List<String> sentTo() {
        Map<String, Object> decided = (Map<String, Object>) Json.read(functions.decideAndSend("{\"source\":\"schedule\"}",
                functions.context("DeciderFunction", true)), "");
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> d : (List<Map<String, Object>>) decided.get("decisions")) {
            if ("sent".equals(d.get("action")) && ((String) d.get("campaign")).startsWith("daily-")) {
                ids.add((String) d.get("contact"));
            }
        }
        return ids;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExportHoldsTheProfileTheTimelineAndEveryMessageWithItsText() {
        start();
        String id = contact(0);
        api.ok("PUT", "/templates/x-" + run, Map.of("channel", "email", "subject", "Your data, {{contact.firstName}}",
                "body", "<p>Hello {{contact.firstName}}</p>"));
        api.ok("PUT", "/templates/xs-" + run, Map.of("channel", "sms", "body", "{{contact.firstName}}, see your email {{link}}"));
        api.ok("PUT", "/campaigns/x-" + run, Map.of("topic", "data", "playbook", "email-first", "email", "x-" + run, "sms", "xs-" + run));
        api.ok("POST", "/campaigns/x-" + run + "/launch", Map.of("audience", List.of(id)));
        functions.decideAndSend("{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));

        Map<String, Object> export = api.ok("GET", "/contacts/" + id + "/export", null).json();

        assertEquals(id + "@example.com", ((Map<String, Object>) export.get("profile")).get("email"));
        List<Map<String, Object>> messages = (List<Map<String, Object>>) export.get("messages");
        assertEquals(1, messages.size());
        assertEquals("Your data, P0", messages.get(0).get("subject"));
        assertNotNull(messages.get(0).get("html"), "an email an SMS links to keeps its web version");
        assertTrue(((String) messages.get(0).get("html")).contains("Hello P0"));

        clock.set(T0.plus(Duration.ofHours(25)));
        functions.decideAndSend("{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));
        messages = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + id + "/export", null).json().get("messages");
        assertEquals(2, messages.size());
        assertTrue(messages.stream().anyMatch(m -> ((String) String.valueOf(m.get("text"))).startsWith("P0, see your email https://t.example.com/l/")));
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) export.get("timeline");
        assertTrue(timeline.stream().anyMatch(e -> "custom.cart_added".equals(e.get("type"))));
        assertTrue(timeline.stream().anyMatch(e -> "email.sent".equals(e.get("type"))));
        assertEquals(404, api.call("GET", "/contacts/nobody-" + run + "/export", null).status());
    }
}
