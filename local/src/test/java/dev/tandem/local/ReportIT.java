package dev.tandem.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign report as a browser draws it. The demo scenario runs through the simulator on the emulator; its page
 * (as {@code ./tandem simulate --html} writes it) and the page of {@code GET /campaigns/{id}/report} are loaded in
 * headless Chromium, and what the script drew (the post-script DOM) is checked against the stats route. The pages and
 * a screenshot stay under {@code local/target/report-artifacts/}.
 */
class ReportIT {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE dd MMM HH:mm", Locale.ENGLISH);
    private static final Path ARTIFACTS = Emulator.root().resolve("local/target/report-artifacts");

    private static Scenario scenario;
    private static Simulator.Result result;
    private static Path simulationPage;
    /** Per campaign of the scenario, what {@code GET /campaigns/{id}/stats} answered. */
    private static final Map<String, Map<String, Object>> STATS = new LinkedHashMap<>();
    /** Per campaign, what {@code GET /campaigns/{id}/report} answered. */
    private static final Map<String, LocalClient.Response> ROUTED = new LinkedHashMap<>();
    private static LocalClient.Response unknown;
    private static String table;

    @BeforeAll
    static void simulate() throws Exception {
        Files.createDirectories(ARTIFACTS);
        Template template = Emulator.template();
        scenario = Scenario.read(Emulator.root().resolve("events/scenarios/demo.json"));
        table = new Bootstrap(template).tableCopy("TandemTable", "report-it-" + UUID.randomUUID().toString().substring(0, 8));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Simulator simulator = new Simulator(template, scenario, Simulator.overrides(table), new PrintStream(log, true, StandardCharsets.UTF_8));
        result = simulator.run();
        simulationPage = ARTIFACTS.resolve("demo-report.html");
        Files.writeString(simulationPage, Conversations.page("demo.json", scenario, simulator, result), StandardCharsets.UTF_8);

        LocalClient api = new LocalClient(new LocalFunctions(template, Clock.systemUTC(), Simulator.overrides(table)));
        for (Scenario.CampaignSpec c : scenario.campaigns()) {
            STATS.put(c.id(), api.ok("GET", "/campaigns/" + c.id() + "/stats", null).json());
            LocalClient.Response page = api.call("GET", "/campaigns/" + c.id() + "/report", null);
            ROUTED.put(c.id(), page);
            Files.writeString(ARTIFACTS.resolve(c.id() + "-route-report.html"), page.body(), StandardCharsets.UTF_8);
        }
        unknown = api.call("GET", "/campaigns/no-such-campaign/report", null);
    }

    @AfterAll
    static void dropTable() {
        if (table != null) {
            new Bootstrap(Emulator.template()).dropTable(table);
        }
    }

    @Test
    void theRouteAnswersEachCampaignsPageAsHtmlAndAnUnknownCampaignAsTheUsual404() {
        ROUTED.forEach((id, page) -> {
            assertEquals(200, page.status(), id + ": " + page.body());
            assertEquals("text/html; charset=utf-8", page.headers().get("content-type"));
            assertEquals(dev.tandem.report.ReportPage.CONTENT_SECURITY_POLICY, page.headers().get("content-security-policy"));
            assertTrue(page.body().contains("<script type=\"application/json\" id=\"tandem-data\">"), id);
        });
        assertEquals(404, unknown.status());
        assertEquals("application/json", unknown.headers().get("content-type"));
        assertEquals(Map.of("error", "no campaign no-such-campaign", "field", "id"), unknown.json());
    }

    @Test
    void theSimulationsPageDrawsTheStatsRoutesNumbersItsReasonsAndOneLanePerChannelPerContact() throws Exception {
        Browser browser = Browser.require(ARTIFACTS);

        String dom = browser.dom(simulationPage);
        Files.writeString(ARTIFACTS.resolve("demo-report.dom.html"), dom, StandardCharsets.UTF_8);
        Path png = ARTIFACTS.resolve("demo-report.png");
        browser.screenshot(simulationPage, png, 1280, 2400);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(Files.readAllBytes(png), 4));

        long sent = 0;
        for (String campaign : STATS.keySet()) {
            sent += drawsTheStatsOf(dom, campaign);
        }
        assertTrue(sent > 0, "the demo sends messages: the funnels checked are not all zeros");
        drawsOneLanePerChannelPerContactWithEveryDecisionInTheirOwnTime(dom);
    }

    @Test
    void theRoutesPageDrawsTheSameNumbers() throws Exception {
        Browser browser = Browser.require(ARTIFACTS);
        for (String campaign : ROUTED.keySet()) {
            String dom = browser.dom(ARTIFACTS.resolve(campaign + "-route-report.html"));
            drawsTheStatsOf(dom, campaign);
            assertEquals(List.of(), Browser.elements(dom).stream().filter(e -> e.hasClass("lane")).toList(),
                    "a campaign's own page has no conversations");
        }
    }

    /**
     * The funnels of a campaign (overall and per step), its conversions, its reasons and its activity, as drawn, against
     * what the stats route answers. Returns the messages sent, for the caller to see the check was not of zeros only.
     */
    @SuppressWarnings("unchecked")
    private static long drawsTheStatsOf(String dom, String campaign) {
        Map<String, Object> stats = STATS.get(campaign);
        Map<String, Object> email = (Map<String, Object>) stats.get("email");
        Map<String, Object> sms = (Map<String, Object>) stats.get("sms");
        List<Browser.Element> texts = Browser.texts(dom).stream().filter(t -> t.has("data-campaign", campaign)).toList();

        Map<String, Long> emailWanted = new LinkedHashMap<>();
        emailWanted.put("sent", n(email.get("sent")));
        emailWanted.put("delivered", n(email.get("delivered")));
        emailWanted.put("opened", n(((Map<String, Object>) email.get("opens")).get("human")));
        emailWanted.put("clicked", n(email.get("clicks")));
        Map<String, Long> smsWanted = new LinkedHashMap<>();
        smsWanted.put("sent", n(sms.get("sent")));
        smsWanted.put("delivered", n(sms.get("delivered")));
        smsWanted.put("clicked", n(sms.get("clicks")));
        smsWanted.put("replied", n(sms.get("replies")));
        assertEquals(emailWanted, funnel(texts, "", "email"), campaign + ": the email funnel");
        assertEquals(smsWanted, funnel(texts, "", "sms"), campaign + ": the SMS funnel");

        List<String> conversions = texts.stream().filter(t -> t.has("data-measure", "conversions")).map(Browser.Element::text).toList();
        assertEquals(List.of(String.valueOf(n(stats.get("conversions")))), conversions, campaign + ": conversions");

        // Every message is sent by a step: the steps' funnels add up to the channel's.
        for (String channel : List.of("email", "sms")) {
            long bySteps = texts.stream().filter(t -> t.hasClass("value") && t.has("data-channel", channel) && t.has("data-stage", "sent")
                    && !t.attr("data-step").isEmpty()).mapToLong(t -> Long.parseLong(t.text())).sum();
            assertEquals(channel.equals("email") ? emailWanted.get("sent") : smsWanted.get("sent"), bySteps, campaign + ": " + channel + " sent, by steps");
        }

        // The reasons drawn are the stats' deferred and skipped, by channel and reason.
        Map<String, Long> reasonsWanted = new TreeMap<>();
        for (String channel : List.of("email", "sms")) {
            for (String action : List.of("deferred", "skipped")) {
                Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) stats.get(channel)).get(action);
                m.forEach((reason, count) -> {
                    if (n(count) > 0) {
                        reasonsWanted.put(channel + " " + action + " " + reason, n(count));
                    }
                });
            }
        }
        Map<String, Long> reasonsDrawn = new TreeMap<>();
        texts.stream().filter(t -> t.hasClass("value") && t.attr("data-reason") != null && !t.has("data-channel", "any"))
                .forEach(t -> reasonsDrawn.put(t.attr("data-channel") + " " + t.attr("data-action") + " " + t.attr("data-reason"),
                        Long.parseLong(t.text())));
        assertEquals(reasonsWanted, reasonsDrawn, campaign + ": deferred and skipped by reason");

        // The activity over time adds up to the totals: each send was counted in its hour too.
        Map<String, Long> totals = new TreeMap<>();
        Browser.elements(dom).stream().filter(e -> e.hasClass("line") && e.has("data-campaign", campaign))
                .forEach(e -> totals.put(e.attr("data-line"), Long.parseLong(e.attr("data-total"))));
        assertEquals(emailWanted.get("sent"), totals.get("email.sent"), campaign + ": email sent per hour, added up");
        assertEquals(smsWanted.get("sent"), totals.get("sms.sent"), campaign + ": SMS sent per hour, added up");
        assertEquals(1, Browser.elements(dom).stream().filter(e -> e.name().equals("svg") && e.hasClass("activity")
                && e.has("data-campaign", campaign)).count(), campaign + ": one activity chart");
        return emailWanted.get("sent") + smsWanted.get("sent");
    }

    private static Map<String, Long> funnel(List<Browser.Element> texts, String step, String channel) {
        Map<String, Long> out = new LinkedHashMap<>();
        texts.stream().filter(t -> t.hasClass("value") && t.has("data-step", step) && t.has("data-channel", channel) && t.attr("data-stage") != null)
                .forEach(t -> {
                    if (out.put(t.attr("data-stage"), Long.parseLong(t.text())) != null) {
                        throw new AssertionError("the " + channel + " funnel of step '" + step + "' draws " + t.attr("data-stage") + " twice");
                    }
                });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void drawsOneLanePerChannelPerContactWithEveryDecisionInTheirOwnTime(String dom) {
        List<Browser.Element> elements = Browser.elements(dom);
        TreeSet<String> contacts = new TreeSet<>();
        scenario.contacts().forEach(c -> contacts.add(String.valueOf(c.get("id"))));

        Map<String, List<String>> lanes = new TreeMap<>();
        elements.stream().filter(e -> e.hasClass("lane"))
                .forEach(e -> lanes.computeIfAbsent(e.attr("data-contact"), k -> new ArrayList<>()).add(e.attr("data-lane")));
        assertEquals(contacts, new TreeSet<>(lanes.keySet()), "a conversation for every contact");
        lanes.forEach((contact, l) -> assertEquals(List.of("email", "sms"), l, contact + ": one email lane and one SMS lane"));

        List<Browser.Element> marks = elements.stream().filter(e -> e.hasClass("mark")).toList();
        for (String contact : contacts) {
            List<Map<String, Object>> decisions = result.decisions().stream().filter(d -> contact.equals(d.get("contact"))).toList();
            List<Browser.Element> decided = marks.stream().filter(m -> m.has("data-contact", contact)
                    && List.of("sent", "deferred", "skipped").contains(m.attr("data-kind"))).toList();
            assertEquals(decisions.size(), decided.size(), contact + ": a mark for every decision");
            for (Map<String, Object> d : decisions) {
                String lane = d.get("channel") == null ? "both" : (String) d.get("channel");
                assertTrue(decided.stream().anyMatch(m -> m.has("data-at", (String) d.get("at")) && m.has("data-kind", (String) d.get("action"))
                        && m.has("data-lane", lane)), contact + ": " + d + " on the " + lane + " lane");
            }
        }
        Map<String, ZoneId> zones = new TreeMap<>();
        scenario.contacts().forEach(c -> zones.put(String.valueOf(c.get("id")), ZoneId.of(String.valueOf(c.get("timezone")))));
        assertTrue(zones.values().stream().distinct().count() > 1, "the demo's contacts live in several zones");
        for (Browser.Element m : marks) {
            ZoneId zone = zones.get(m.attr("data-contact"));
            assertEquals(WHEN.format(Instant.parse(m.attr("data-at")).atZone(zone)), m.attr("data-local"),
                    m.attr("data-contact") + ": a mark in the contact's own time (" + zone + ")");
        }
        assertTrue(marks.size() > contacts.size(), "marks were drawn");
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }
}
