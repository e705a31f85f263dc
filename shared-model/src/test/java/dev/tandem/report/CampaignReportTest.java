package dev.tandem.report;

import dev.tandem.campaign.Campaign;
import dev.tandem.experiment.Lift;
import dev.tandem.experiment.Reading;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    private static Campaign withExperiment(Map<String, Object> experiment, Map<String, Object> goal) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(Map.of("topic", "Winter collection", "playbook", "email-first",
                "email", "w-email", "sms", "w-sms"));
        if (experiment != null) {
            m.put("experiment", experiment);
        }
        if (goal != null) {
            m.put("goal", goal);
        }
        return Campaign.restore("winter", m);
    }

    /** A holdout of 20% and two variants of equal weight; A converts 15%, B 4%, the holdout 5%. */
    private static final Map<String, Long> EXPERIMENT_COUNTERS = counters(
            "email.sent", 380, "sms.sent", 90, "conversion", 43,
            "variant/A/contacts", 200, "variant/A/email.sent", 190, "variant/A/sms.sent", 50, "variant/A/conversions", 30,
            "variant/B/contacts", 200, "variant/B/email.sent", 190, "variant/B/sms.sent", 40, "variant/B/conversions", 8,
            "variant/holdout/contacts", 100, "variant/holdout/conversions", 5,
            "goal.conversions", 43, "attributed/email/email", 25, "attributed/sms/sms", 9, "attributed/sms/clickNoConversion", 4);

    @Test
    void theExperimentHasEachVariantThenTheHoldoutWithTheStatsRoutesNumbersAndEachVariantsLift() {
        // given a campaign with a holdout, two variants and a goal, and the counters of its groups
        Campaign c = withExperiment(Map.of("holdout", 0.2, "variants", List.of(Map.of("id", "A"), Map.of("id", "B"))),
                Map.of("event", "conversion", "within", "P3D"));

        // when
        CampaignReport.ExperimentReport e = CampaignReport.of(c, EXPERIMENT_COUNTERS, Map.of()).experiment();

        // then the groups come in the experiment's order, the holdout last, with the counters of each
        assertEquals(List.of("A", "B", "holdout"), e.groups().stream().map(CampaignReport.Group::id).toList());
        assertEquals(new CampaignReport.Group("holdout", 0.2, 100, 0, 0, 5, 0.05, null), e.group("holdout"));
        CampaignReport.Group a = e.group("A");
        assertEquals(List.of(0.4, 200L, 190L, 50L, 30L, 0.15),
                List.of(a.share(), a.contacts(), a.emailSent(), a.smsSent(), a.conversions(), a.conversionRate()));
        assertEquals(40L, e.group("B").smsSent());

        // and each variant's lift is Newcombe's interval of its rate against the holdout's, as the stats route rounds it
        Lift liftA = Lift.of(30, 200, 5, 100);
        assertEquals(new CampaignReport.LiftReport(0.1, Lift.round(liftA.low()), Lift.round(liftA.high()), 2.0, "better"), a.lift());
        assertEquals(0.0247, a.lift().low(), 0.0005, "above zero: A is better than the holdout");
        CampaignReport.LiftReport b = e.group("B").lift();
        assertEquals(-0.01, b.difference(), 1e-12);
        assertEquals("no-difference-yet", b.call());
        assertEquals(-0.2, b.relative(), 1e-12);
        assertEquals(true, b.low() < 0 && b.high() > 0, "the interval holds zero: " + b);
        assertEquals(Reading.INTERVAL, e.interval());

        // and the goal's conversions are credited by channel, then step; those of no message are the rest
        assertEquals(new CampaignReport.GoalReport("conversion", "P3D", 43, List.of(
                new CampaignReport.Credit("email", "email", 25),
                new CampaignReport.Credit("sms", "clickNoConversion", 4),
                new CampaignReport.Credit("sms", "sms", 9)), 5), e.goal());
    }

    @Test
    void theExperimentSectionReadsTheSameNumbersAsTheStatsRoute() {
        Campaign c = withExperiment(Map.of("holdout", 0.2, "variants", List.of(Map.of("id", "A"), Map.of("id", "B"))),
                Map.of("event", "conversion"));

        Map<String, Object> page = CampaignReport.of(c, EXPERIMENT_COUNTERS, Map.of()).toMap();

        Map<?, ?> route = (Map<?, ?>) Reading.of(c.experiment(), c.goal(), EXPERIMENT_COUNTERS).get("experiment");
        Map<?, ?> drawn = (Map<?, ?>) page.get("experiment");
        List<?> groups = (List<?>) drawn.get("groups");
        Map<?, ?> variants = (Map<?, ?>) route.get("variants");
        for (String id : List.of("A", "B")) {
            Map<?, ?> g = (Map<?, ?>) groups.stream().filter(x -> id.equals(((Map<?, ?>) x).get("id"))).findFirst().orElseThrow();
            Map<?, ?> r = (Map<?, ?>) variants.get(id);
            for (String k : List.of("share", "contacts", "sent", "conversions", "conversionRate", "lift")) {
                assertEquals(r.get(k), g.get(k), id + " " + k);
            }
            assertEquals(false, g.get("holdout"));
        }
        Map<?, ?> held = (Map<?, ?>) groups.get(2);
        assertEquals(true, held.get("holdout"));
        for (String k : List.of("share", "contacts", "sent", "conversions", "conversionRate")) {
            assertEquals(((Map<?, ?>) route.get("holdout")).get(k), held.get(k), "holdout " + k);
        }
        assertFalse(held.containsKey("lift"));
        Map<?, ?> goal = (Map<?, ?>) drawn.get("goal");
        assertEquals(43L, goal.get("conversions"));
        assertEquals(List.of(Map.of("channel", "email", "step", "email", "conversions", 25L),
                Map.of("channel", "sms", "step", "clickNoConversion", "conversions", 4L),
                Map.of("channel", "sms", "step", "sms", "conversions", 9L)), goal.get("credited"));
        assertEquals(5L, goal.get("notCredited"));
    }

    @Test
    void variantsWithoutAHoldoutHaveNoLiftAndACampaignWithAGoalAloneHasNoGroups() {
        // given two variants and no holdout, without a goal; and a campaign with a goal and no experiment
        Campaign twoWays = withExperiment(Map.of("variants", List.of(Map.of("id", "A"), Map.of("id", "B", "weight", 3))), null);
        Campaign goalOnly = withExperiment(null, Map.of("event", "custom.signup"));

        // when
        CampaignReport.ExperimentReport e = CampaignReport.of(twoWays, EXPERIMENT_COUNTERS, Map.of()).experiment();
        CampaignReport.ExperimentReport g = CampaignReport.of(goalOnly, EXPERIMENT_COUNTERS, Map.of()).experiment();

        // then
        assertEquals(List.of("A", "B"), e.groups().stream().map(CampaignReport.Group::id).toList());
        assertEquals(List.of(0.25, 0.75), e.groups().stream().map(CampaignReport.Group::share).toList());
        assertNull(e.group("A").lift());
        assertNull(e.interval());
        assertNull(e.goal());
        assertEquals(List.of(), g.groups());
        assertEquals("custom.signup", g.goal().event());
        assertEquals(43L, g.goal().conversions());
    }

    @Test
    void aCampaignWithoutExperimentOrGoalHasNoExperimentAndItsPageDataIsAsBefore() {
        // given a campaign with neither, whose counters name groups all the same
        CampaignReport r = CampaignReport.of(emailFirst(), EXPERIMENT_COUNTERS, Map.of());

        // then
        assertNull(r.experiment());
        assertEquals(List.of("id", "name", "playbook", "stats", "funnels", "conversions", "steps", "reasons", "activity"),
                List.copyOf(r.toMap().keySet()));
    }
}
