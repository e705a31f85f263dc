package dev.tandem.report;

import dev.tandem.campaign.Campaign;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportPageTest {
    private static final Pattern SCRIPT = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL);

    private static Report report(String topic, List<Conversation> conversations) {
        Campaign c = Campaign.restore("winter", Map.of("topic", topic, "playbook", "best-channel", "email", "e"));
        return new Report("Simulation of <demo>", null,
                List.of(CampaignReport.of(c, Map.of("email.sent", 2L), Map.of("2026-12-01T17/email.sent", 2L))), conversations);
    }

    @Test
    void aSubjectHoldingAClosingScriptTagEndsNothing() {
        // given text from a message that tries to close the data element and open a script
        Conversation cv = new Conversation("ana", "Ana", ZoneId.of("UTC"), Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-02T00:00:00Z"), List.of(new Conversation.Mark(Instant.parse("2026-12-01T10:00:00Z"),
                "email", "sent", "winter/message", "\"</script><script>alert(1)</script><!--\" \u2028")));

        // when
        String page = ReportPage.render(report("Winter </script>", List.of(cv)));

        // then the page has exactly its two script elements, the data and the drawing, and the data reads back whole
        Matcher m = SCRIPT.matcher(page);
        List<String> attrs = new java.util.ArrayList<>();
        List<String> bodies = new java.util.ArrayList<>();
        while (m.find()) {
            attrs.add(m.group(1).trim());
            bodies.add(m.group(2));
        }
        assertEquals(List.of("type=\"application/json\" id=\"tandem-data\"", ""), attrs);
        assertFalse(bodies.get(0).contains("<"), "no < inside the JSON");
        assertTrue(bodies.get(0).contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), bodies.get(0));
        assertTrue(bodies.get(0).contains("\\u2028"));
        assertTrue(page.contains("<title>Simulation of &lt;demo&gt;</title>"));
    }

    @Test
    void theInlineScriptIsTheOneThePolicyAllowsAndNothingIsLoadedFromElsewhere() throws Exception {
        String page = ReportPage.render(report("Winter", List.of()));

        String drawing = drawingScript(page);
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(drawing.getBytes(StandardCharsets.UTF_8)));
        assertTrue(ReportPage.CONTENT_SECURITY_POLICY.contains("script-src 'sha256-" + hash + "'"), ReportPage.CONTENT_SECURITY_POLICY);
        assertTrue(ReportPage.CONTENT_SECURITY_POLICY.startsWith("default-src 'none'"));
        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + ReportPage.html(ReportPage.PAGE_POLICY) + "\">"));
        for (String external : List.of("src=", "href=", "@import", "url(", "http://", "https://")) {
            assertFalse(page.replace("http://www.w3.org/2000/svg", "").contains(external), "the page loads nothing: " + external);
        }
    }

    @Test
    void aTemplateValueHoldingAPlaceholderIsNotFilledAgain() {
        assertEquals("<p>{{script}}</p><i>x</i>", ReportPage.fill("<p>{{a}}</p><i>{{b}}</i>", Map.of("a", "{{script}}", "b", "x")));
    }

    @Test
    void marksArePlacedAndLabelledInTheContactsOwnTimeAcrossADaylightSavingChange() {
        // given a contact in New York and two marks either side of the end of daylight saving time (1 Nov 2026, 06:00 UTC)
        ZoneId ny = ZoneId.of("America/New_York");
        Instant before = Instant.parse("2026-11-01T04:30:00Z");
        Instant after = Instant.parse("2026-11-01T07:30:00Z");
        Conversation cv = new Conversation("ben", "Ben", ny, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-02T00:00:00Z"), List.of(new Conversation.Mark(before, "sms", "deferred", "x", null),
                new Conversation.Mark(after, "both", "event", "converted", null)));

        // when
        Map<String, Object> map = cv.toMap();

        // then the labels are New York's wall clock (00:30 EDT, then 02:30 EST) and the axis follows it
        List<?> marks = (List<?>) map.get("marks");
        assertEquals("Sun 01 Nov 00:30", ((Map<?, ?>) marks.get(0)).get("local"));
        assertEquals("Sun 01 Nov 02:30", ((Map<?, ?>) marks.get(1)).get("local"));
        long wallBefore = (Long) ((Map<?, ?>) marks.get(0)).get("wall");
        long wallAfter = (Long) ((Map<?, ?>) marks.get(1)).get("wall");
        assertEquals(2 * 3600, wallAfter - wallBefore, "two hours of wall clock for three real hours");
        assertEquals("America/New_York", map.get("zone"));
    }

    @Test
    void theExperimentIsInThePageDataOnlyForACampaignWithOne() {
        // given the same counters for a campaign with a holdout, a variant and a goal, and for one with neither
        Map<String, Long> raw = Map.of("variant/A/contacts", 9L, "variant/A/conversions", 3L, "variant/holdout/contacts", 1L,
                "goal.conversions", 3L, "attributed/email/message", 3L);
        Campaign tested = Campaign.restore("tested", Map.of("playbook", "best-channel", "email", "e",
                "experiment", Map.of("holdout", 0.1), "goal", Map.of("event", "conversion")));
        Campaign plain = Campaign.restore("plain", Map.of("playbook", "best-channel", "email", "e"));

        // when
        String withOne = data(ReportPage.render(Report.of(CampaignReport.of(tested, raw, Map.of()))));
        String without = data(ReportPage.render(Report.of(CampaignReport.of(plain, raw, Map.of()))));

        // then
        assertTrue(withOne.contains("\"experiment\":{\"groups\":[{\"id\":\"A\",\"holdout\":false,\"share\":0.9,\"contacts\":9,"
                + "\"sent\":{\"email\":0,\"sms\":0},\"conversions\":3,\"conversionRate\":0.3333,\"lift\":{"), withOne);
        assertTrue(withOne.contains("\"credited\":[{\"channel\":\"email\",\"step\":\"message\",\"conversions\":3}],\"notCredited\":0"), withOne);
        assertFalse(without.contains("\"experiment\""), without);
    }

    /** The page's embedded JSON. */
    private static String data(String page) {
        Matcher m = SCRIPT.matcher(page);
        while (m.find()) {
            if (m.group(1).contains("id=\"tandem-data\"")) {
                return m.group(2);
            }
        }
        throw new AssertionError("no data element in the page");
    }

    @Test
    void theScriptWritesTextOnlyNeverMarkup() throws Exception {
        String page = ReportPage.render(report("Winter", List.of()));
        String drawing = drawingScript(page);

        assertTrue(drawing.contains("textContent"), "the script does write text");
        for (String markup : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")) {
            assertFalse(drawing.contains(markup), "the script never parses text as markup or code: " + markup);
        }
    }

    /** The page's drawing script: its one script element without attributes (the data's has a type). */
    private static String drawingScript(String page) {
        Matcher m = SCRIPT.matcher(page);
        String drawing = null;
        while (m.find()) {
            if (m.group(1).isBlank()) {
                drawing = m.group(2);
            }
        }
        return drawing;
    }
}
