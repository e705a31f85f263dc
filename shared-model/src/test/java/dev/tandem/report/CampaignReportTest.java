package dev.tandem.report;

import dev.tandem.campaign.Campaign;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CampaignReportTest {

    private static Campaign emailFirst() {
        return Campaign.restore("winter", Map.of("topic", "Winter collection", "playbook", "email-first", "email", "w-email",
                "sms", "w-sms", "triggers", Map.of("clickNoConversion", Map.of("sms", "nudge"))));
    }

    private static Map<String, Long> counters(Object... pairs) {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return out;
    }

    @Test
    void theChannelFunnelsReadTheNumbersTheStatsRouteAnswers() {
        // given the counters of a campaign, machine opens and link previews among them
        Map<String, Long> raw = counters("email.sent", 10, "email.delivered", 9, "email.open.human", 4, "email.open.machine", 3,
                "email.click", 2, "sms.sent", 6, "sms.delivered", 5, "sms.click", 3, "sms.click.machine", 7, "sms.reply", 1,
                "conversion", 2);

        // when the report is made
        CampaignReport r = CampaignReport.of(emailFirst(), raw, Map.of());

        // then each stage is the stats route's number, and machines count in no stage
        Map<String, Object> stats = Stats.of(raw);
        assertEquals(stats, r.stats());
        Map<?, ?> email = (Map<?, ?>) stats.get("email");
        Map<?, ?> sms = (Map<?, ?>) stats.get("sms");
        CampaignReport.Funnel e = r.funnels().get(0);
        CampaignReport.Funnel s = r.funnels().get(1);
        assertEquals(List.of("email", "sms"), List.of(e.channel(), s.channel()));
        assertEquals(List.of(email.get("sent"), email.get("delivered"), ((Map<?, ?>) email.get("opens")).get("human"), email.get("clicks")),
                e.stages().stream().map(CampaignReport.Stage::value).toList());
        assertEquals(List.of(10L, 9L, 4L, 2L), e.stages().stream().map(CampaignReport.Stage::value).toList());
        assertEquals(List.of("sent", "delivered", "opened", "clicked"), e.stages().stream().map(CampaignReport.Stage::name).toList());
        assertEquals(List.of(sms.get("sent"), sms.get("delivered"), sms.get("clicks"), sms.get("replies")),
                s.stages().stream().map(CampaignReport.Stage::value).toList());
        assertEquals(List.of("sent", "delivered", "clicked", "replied"), s.stages().stream().map(CampaignReport.Stage::name).toList());
        assertEquals(3L, s.value("clicked"));
        assertEquals(2L, r.conversions());
    }

    @Test
    void eachStepHasTheFunnelOfItsOwnCountersInThePlaybooksOrderThenItsTriggersThenStepsOnlyTheCountersName() {
        // given counters of the email step, the SMS follow-up, the click trigger and a step of an older definition
        Map<String, Long> raw = counters("email.sent", 5, "sms.sent", 3,
                "step/email/email.sent", 5, "step/email/email.open.human", 2,
                "step/sms/sms.sent", 2, "step/sms/sms.click", 1, "step/sms/conversion", 1,
                "step/clickNoConversion/sms.sent", 1,
                "step/legacy/email.sent", 0);

        // when
        CampaignReport r = CampaignReport.of(emailFirst(), raw, Map.of());

        // then
        assertEquals(List.of("email", "sms", "clickNoConversion", "legacy"), r.steps().stream().map(CampaignReport.StepFunnels::step).toList());
        CampaignReport.StepFunnels email = r.steps().get(0);
        assertEquals(List.of("email"), email.funnels().stream().map(CampaignReport.Funnel::channel).toList());
        assertEquals(5L, email.funnels().get(0).value("sent"));
        assertEquals(2L, email.funnels().get(0).value("opened"));
        CampaignReport.StepFunnels sms = r.steps().get(1);
        assertEquals(List.of("sms"), sms.funnels().stream().map(CampaignReport.Funnel::channel).toList());
        assertEquals(2L, sms.funnels().get(0).value("sent"));
        assertEquals(1L, sms.funnels().get(0).value("clicked"));
        assertEquals(1L, sms.conversions());
        assertEquals(1L, r.steps().get(2).funnels().get(0).value("sent"));
    }

    @Test
    void aStepWithNoCountersYetShowsTheChannelItSendsOn() {
        Campaign smsFirst = Campaign.restore("flash", Map.of("playbook", "sms-first", "email", "f-email", "sms", "f-sms",
                "triggers", Map.of("smsReply", Map.of("email", "answer"))));

        CampaignReport r = CampaignReport.of(smsFirst, Map.of(), Map.of());

        assertEquals(List.of("sms", "email", "smsReply"), r.steps().stream().map(CampaignReport.StepFunnels::step).toList());
        assertEquals(List.of("sms"), r.steps().get(0).funnels().stream().map(CampaignReport.Funnel::channel).toList());
        assertEquals(List.of("email"), r.steps().get(2).funnels().stream().map(CampaignReport.Funnel::channel).toList());
        assertEquals(0L, r.steps().get(0).funnels().get(0).value("sent"));
        assertEquals("flash", r.name(), "a campaign without a topic is named by its id");
    }

    @Test
    void reasonsAreListedPerChannelAndActionWithThoseOfNoChannelLast() {
        Map<String, Long> raw = counters("sms.deferred.quiet-hours", 4, "email.skipped.no-consent", 2, "email.deferred.cap-24h", 3,
                "any.skipped.converted", 1, "sms.skipped.engaged", 0, "step/sms/sms.deferred.quiet-hours", 4);

        CampaignReport r = CampaignReport.of(emailFirst(), raw, Map.of());

        assertEquals(List.of(
                new CampaignReport.ReasonCount("email", "deferred", "cap-24h", 3),
                new CampaignReport.ReasonCount("email", "skipped", "no-consent", 2),
                new CampaignReport.ReasonCount("sms", "deferred", "quiet-hours", 4),
                new CampaignReport.ReasonCount("any", "skipped", "converted", 1)), r.reasons());
    }

    @Test
    void activityHasEveryHourFromTheFirstToTheLastWithZerosBetween() {
        // given counts in three UTC hours, two hours apart, and a key that is no hour
        Map<String, Long> series = counters(
                "2026-12-01T22/email.sent", 3, "2026-12-01T22/sms.deferred.quiet-hours", 2,
                "2026-12-02T00/email.open.human", 1, "2026-12-02T00/email.open.machine", 5, "2026-12-02T00/sms.click", 2,
                "2026-12-02T00/any.skipped.converted", 1,
                "2026-12-02T02/sms.sent", 4, "2026-12-02T02/conversion", 1, "2026-12-02T02/sms.reply", 1,
                "not-an-hour/email.sent", 9);

        // when
        CampaignReport.Activity a = CampaignReport.activity(series);

        // then
        assertEquals("hour", a.unit());
        assertEquals(List.of("2026-12-01T22", "2026-12-01T23", "2026-12-02T00", "2026-12-02T01", "2026-12-02T02"), a.buckets());
        Map<String, List<Long>> lines = new TreeMap<>();
        a.lines().forEach(l -> lines.put(l.key(), l.values()));
        assertEquals(List.of(3L, 0L, 0L, 0L, 0L), lines.get("email.sent"));
        assertEquals(List.of(0L, 0L, 0L, 0L, 4L), lines.get("sms.sent"));
        assertEquals(List.of(0L, 0L, 3L, 0L, 1L), lines.get("engagement"), "human opens, clicks and replies; never machine opens");
        assertEquals(List.of(0L, 0L, 0L, 0L, 1L), lines.get("conversion"));
        assertEquals(List.of(2L, 0L, 0L, 0L, 0L), lines.get("deferred"));
        assertEquals(List.of(0L, 0L, 1L, 0L, 0L), lines.get("skipped"));
    }

    @Test
    void aCampaignLongerThanTheHourLimitIsDrawnByDay() {
        Map<String, Long> series = counters("2026-01-01T05/email.sent", 2, "2026-01-01T23/email.sent", 1,
                "2026-03-01T00/email.sent", 7);

        CampaignReport.Activity a = CampaignReport.activity(series);

        assertEquals("day", a.unit());
        assertEquals(60, a.buckets().size(), "1 January to 1 March 2026, both days");
        assertEquals("2026-01-01", a.buckets().get(0));
        List<Long> sent = a.lines().get(0).values();
        assertEquals(3L, sent.get(0));
        assertEquals(7L, sent.get(59));
        assertEquals(10L, a.lines().get(0).total());
    }

    @Test
    void noActivityIsNoBuckets() {
        CampaignReport.Activity a = CampaignReport.activity(Map.of());
        assertEquals(List.of(), a.buckets());
        assertEquals(6, a.lines().size());
    }
}
