package dev.tandem.decide;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decision.Action;
import dev.tandem.timeline.Timeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.tandem.decide.Fixtures.ana;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeciderTest {
    /** 09:00 in Los Angeles. */
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");
    private final Decider decider = new Decider(ContactPolicy.DEFAULT);
    private final Fixtures.CountingLinks links = new Fixtures.CountingLinks();

    private Plan decide(Contact c, Timeline t, Campaign campaign, Run run, Instant now) {
        return decider.decide(new Decider.Input(c, t, campaign, run, Fixtures::compiled, links), now);
    }

    private static Run launched(Campaign c, Instant at) {
        return Run.launched("c1", c.id(), "L1", Decider.firstStep(c), at);
    }

    private static Run at(Run run, String step, Instant due, Map<String, String> data) {
        return new Run(run.contactId(), run.campaign(), run.occurrence(), run.kind(), step, run.startedAt(), due, true, data, 3, null);
    }

    private static Decision only(Plan p) {
        assertEquals(1, p.decisions().size(), p.decisions().toString());
        return p.decisions().get(0);
    }

    // --- email-first ---------------------------------------------------------------------------

    @Test
    void sendsTheEmailAtLaunchAndSchedulesTheFollowUp() {
        Campaign c = Fixtures.emailFirst();
        Plan p = decide(ana(T0), Timeline.empty(), c, launched(c, T0), T0);

        Decision d = only(p);
        assertEquals(Action.SENT, d.action());
        assertEquals(Channel.EMAIL, d.channel());
        assertEquals("Ana, your winter picks", d.content().subject());
        assertEquals("<p>Hi Ana, Boots </p>", d.content().body());
        Plan.Continue next = assertInstanceOf(Plan.Continue.class, p.next());
        assertEquals(Steps.SMS, next.step());
        assertEquals(T0.plus(Duration.ofHours(24)), next.dueAt());
        assertEquals("Ana, your winter picks", next.data().get(Run.EMAIL_SUBJECT));
    }

    private static Map<String, String> emailData() {
        return Map.of(Run.EMAIL_MESSAGE_ID, "m1", Run.EMAIL_SUBJECT, "Ana, your winter picks", Run.VIEW_CODE, "v-abc");
    }

    @Test
    void sendsSmsWhenEmailNotOpenedWithin24h() {
        Campaign c = Fixtures.emailFirst();
        Instant due = T0.plus(Duration.ofHours(24));
        Timeline t = new Fixtures.Events()
                .sent("email", T0, "winter", "m1")
                .add("email.open", T0.plusSeconds(90), "winter", "email", "m1", Map.of("machine", true))
                .timeline();

        Plan p = decide(ana(T0), t, c, at(launched(c, T0), Steps.SMS, due, emailData()), due);

        Decision d = only(p);
        assertEquals(Action.SENT, d.action());
        assertEquals(Channel.SMS, d.channel());
        assertTrue(d.content().body().startsWith("Ana, your Winter collection picks are in your inbox: https://t.example.com/l/"),
                d.content().body());
        assertEquals(List.of("https://t.example.com/v/v-abc"), links.targets, "the SMS links to that very email's web version");
        assertInstanceOf(Plan.Finish.class, p.next());
    }

    @Test
    void aHumanOpenStopsTheFollowUp() {
        Campaign c = Fixtures.emailFirst();
        Instant due = T0.plus(Duration.ofHours(24));
        Timeline t = new Fixtures.Events().sent("email", T0, "winter", "m1")
                .add("email.open", T0.plusSeconds(3600), "winter", "email", "m1", Map.of("machine", false)).timeline();

        Decision d = only(decide(ana(T0), t, c, at(launched(c, T0), Steps.SMS, due, emailData()), due));

        assertEquals(Action.SKIPPED, d.action());
        assertEquals(Reason.ENGAGED, d.reason());
    }

    @Test
    void aClickAlsoStopsTheFollowUp() {
        Campaign c = Fixtures.emailFirst();
        Instant due = T0.plus(Duration.ofHours(24));
        Timeline t = new Fixtures.Events().sent("email", T0, "winter", "m1")
                .add("email.click", T0.plusSeconds(3600), "winter", "email", "m1", Map.of("link", "https://x")).timeline();

        assertEquals(Reason.ENGAGED, only(decide(ana(T0), t, c, at(launched(c, T0), Steps.SMS, due, emailData()), due)).reason());
    }

    @Test
    void aFollowUpDueAtNightWaitsForTheMorningInTheContactsZone() {
        Campaign c = Fixtures.emailFirst();
        Instant due = Instant.parse("2026-12-02T06:00:00Z"); // 22:00 in Los Angeles
        Timeline t = new Fixtures.Events().sent("email", due.minus(Duration.ofHours(24)), "winter", "m1").timeline();

        Plan p = decide(ana(T0), t, c, at(launched(c, T0), Steps.SMS, due, emailData()), due);

        Decision d = only(p);
        assertEquals(Action.DEFERRED, d.action());
        assertEquals(Reason.QUIET_HOURS, d.reason());
        assertEquals(Instant.parse("2026-12-02T16:00:00Z"), d.until(), "08:00 in Los Angeles");
        assertEquals(d.until(), assertInstanceOf(Plan.Wait.class, p.next()).dueAt());
    }

    @Test
    void noSmsWithoutConsentOrPhone() {
        Campaign c = Fixtures.emailFirst();
        Instant due = T0.plus(Duration.ofHours(24));
        Timeline t = new Fixtures.Events().sent("email", T0, "winter", "m1").timeline();
        Run run = at(launched(c, T0), Steps.SMS, due, emailData());
        Contact noConsent = Fixtures.contact("c1", Map.of("email", "a@example.com", "phone", "+14155550101",
                "consent", Map.of("email", "subscribed", "sms", "unsubscribed")), T0);
        Contact noPhone = Fixtures.contact("c1", Map.of("email", "a@example.com", "consent", Map.of("email", "subscribed", "sms", "subscribed")), T0);
        Contact optedOut = ana(T0).withState(Channel.SMS, ChannelState.optedOut("keyword STOP", T0), T0);

        assertEquals(Reason.NO_CONSENT, only(decide(noConsent, t, c, run, due)).reason());
        assertEquals(Reason.UNREACHABLE, only(decide(noPhone, t, c, run, due)).reason());
        assertEquals(Reason.OPTED_OUT, only(decide(optedOut, t, c, run, due)).reason());
    }

    @Test
    void aSuppressedAddressGetsNoEmail() {
        Campaign c = Fixtures.emailFirst();
        Contact bounced = ana(T0).withState(Channel.EMAIL, ChannelState.suppressed("bounce: Permanent/General", T0), T0);

        Plan p = decide(bounced, Timeline.empty(), c, launched(c, T0), T0);

        assertEquals(Reason.SUPPRESSED, only(p).reason());
        assertEquals("done", assertInstanceOf(Plan.Finish.class, p.next()).status());
    }

    @Test
    void aConversionEndsTheRun() {
        Campaign c = Fixtures.emailFirst();
        Instant due = T0.plus(Duration.ofHours(24));
        Timeline t = new Fixtures.Events().sent("email", T0, "winter", "m1")
                .add("conversion", T0.plusSeconds(7200), null, null, null, Map.of("value", 120)).timeline();

        Plan p = decide(ana(T0), t, c, at(launched(c, T0), Steps.SMS, due, emailData()), due);

        assertEquals(Reason.CONVERTED, only(p).reason());
        assertEquals("exited", assertInstanceOf(Plan.Finish.class, p.next()).status());
    }

    // --- sms-first -----------------------------------------------------------------------------

    @Test
    void sendsTheSmsAlertThenTheEmailDetail() {
        Campaign c = Fixtures.smsFirst();
        Plan alert = decide(ana(T0), Timeline.empty(), c, launched(c, T0), T0);

        assertEquals(Channel.SMS, only(alert).channel());
        assertEquals(List.of("https://shop.example.com/flash"), links.targets);
        Plan.Continue next = assertInstanceOf(Plan.Continue.class, alert.next());
        assertEquals(Steps.EMAIL, next.step());
        assertEquals(T0.plus(Duration.ofHours(1)), next.dueAt());

        Timeline t = new Fixtures.Events().sent("sms", T0, "flash", "s1").timeline();
        Instant due = T0.plus(Duration.ofHours(1));
        Decision detail = only(decide(ana(T0), t, c, at(launched(c, T0), Steps.EMAIL, due, next.data()), due));
        assertEquals(Action.SENT, detail.action());
        assertEquals(Channel.EMAIL, detail.channel());
        assertEquals("The details of tonight's sale", detail.content().subject());
    }

    @Test
    void aReplyToTheAlertCancelsTheDetailButAKeywordDoesNot() {
        Campaign c = Fixtures.smsFirst();
        Instant due = T0.plus(Duration.ofHours(1));
        Map<String, String> data = Map.of(Run.SMS_SENT_AT, T0.toString());
        Timeline replied = new Fixtures.Events().sent("sms", T0, "flash", "s1")
                .add("sms.reply", T0.plusSeconds(600), "flash", null, null, Map.of("text", "Is it online too?")).timeline();
        Timeline help = new Fixtures.Events().sent("sms", T0, "flash", "s1")
                .add("sms.reply", T0.plusSeconds(600), null, null, null, Map.of("text", "HELP", "keyword", "HELP")).timeline();

        assertEquals(Reason.REPLIED, only(decide(ana(T0), replied, c, at(launched(c, T0), Steps.EMAIL, due, data), due)).reason());
        assertEquals(Action.SENT, only(decide(ana(T0), help, c, at(launched(c, T0), Steps.EMAIL, due, data), due)).action());
    }

    @Test
    void aContactThatCantGetSmsGetsTheEmailAtLaunchInstead() {
        Campaign c = Fixtures.smsFirst();
        Contact emailOnly = Fixtures.contact("c1", Map.of("email", "a@example.com", "consent", Map.of("email", "subscribed")), T0);

        Plan p = decide(emailOnly, Timeline.empty(), c, launched(c, T0), T0);

        assertEquals(2, p.decisions().size());
        assertEquals(Action.SKIPPED, p.decisions().get(0).action());
        assertEquals(Reason.UNREACHABLE, p.decisions().get(0).reason());
        assertEquals(Action.SENT, p.decisions().get(1).action());
        assertEquals(Channel.EMAIL, p.decisions().get(1).channel());
        assertEquals(Steps.EMAIL, p.decisions().get(1).step());
    }

    // --- best-channel --------------------------------------------------------------------------

    @Test
    void bestChannelFollowsConsentFirst() {
        Contact smsOnly = Fixtures.contact("c1", Map.of("phone", "+14155550101", "consent", Map.of("sms", "subscribed")), T0);
        Decision d = only(decide(smsOnly, Timeline.empty(), Fixtures.bestChannel(false), launched(Fixtures.bestChannel(false), T0), T0));
        assertEquals(Channel.SMS, d.channel());
        assertEquals("consent", d.rule());
    }

    @Test
    void anUrgentMessageGoesBySmsWhenSmsIsAllowedNow() {
        Campaign c = Fixtures.bestChannel(true);
        Decision d = only(decide(ana(T0), Timeline.empty(), c, launched(c, T0), T0));
        assertEquals(Channel.SMS, d.channel());
        assertEquals("urgent", d.rule());
    }

    @Test
    void anUrgentMessageAtNightFallsBackToHabitsAndCost() {
        Campaign c = Fixtures.bestChannel(true);
        Instant night = Instant.parse("2026-12-02T07:00:00Z"); // 23:00 in Los Angeles
        Decision d = only(decide(ana(T0), Timeline.empty(), c, launched(c, night), night));
        assertEquals(Channel.EMAIL, d.channel());
        assertEquals("cost", d.rule());
        assertEquals(Action.SENT, d.action());
    }

    @Test
    void theContactsHabitsChooseTheChannel() {
        Campaign c = Fixtures.bestChannel(false);
        Timeline t = new Fixtures.Events()
                .sent("sms", T0.minus(Duration.ofDays(20)), "old", "s0")
                .add("sms.reply", T0.minus(Duration.ofDays(20)).plusSeconds(60), "old", null, null, Map.of("text", "yes!"))
                .add("sms.click", T0.minus(Duration.ofDays(10)), "old", "sms", null, Map.of())
                .add("email.open", T0.minus(Duration.ofDays(9)), "old", "email", "m0", Map.of("machine", true))
                .timeline();
        Decision d = only(decide(ana(T0), t, c, launched(c, T0), T0));
        assertEquals(Channel.SMS, d.channel());
        assertEquals("habits", d.rule());
    }

    @Test
    void emailWinsATieOnCost() {
        Campaign c = Fixtures.bestChannel(false);
        Decision d = only(decide(ana(T0), Timeline.empty(), c, launched(c, T0), T0));
        assertEquals(Channel.EMAIL, d.channel());
        assertEquals("cost", d.rule());
    }

    // --- the budget across campaigns and channels ----------------------------------------------

    @Test
    void aCapHoldsAcrossTwoCampaignsAndBothChannels() {
        Campaign c = Fixtures.emailFirst();
        Timeline t = new Fixtures.Events()
                .sent("sms", T0.minus(Duration.ofHours(10)), "flash", "s1")
                .sent("email", T0.minus(Duration.ofHours(9)), "flash", "m0")
                .timeline();

        Decision d = only(decide(ana(T0), t, c, launched(c, T0), T0));

        assertEquals(Action.DEFERRED, d.action());
        assertEquals(Reason.CAP_24H, d.reason());
        assertEquals(T0.minus(Duration.ofHours(10)).plus(Duration.ofHours(24)), d.until());
    }

    @Test
    void aSevenDayCapDefersUntilTheOldestSendLeavesTheWeek() {
        Campaign c = Fixtures.emailFirst();
        Fixtures.Events e = new Fixtures.Events();
        for (int day = 6; day >= 2; day--) {
            e.sent("email", T0.minus(Duration.ofDays(day)), "other" + day, "m" + day);
        }
        Decision d = only(decide(ana(T0), e.timeline(), c, launched(c, T0), T0));
        assertEquals(Reason.CAP_7D, d.reason());
        assertEquals(T0.plus(Duration.ofDays(1)), d.until());
    }

    @Test
    void aMinimumGapSeparatesMessagesOfDifferentCampaigns() {
        Campaign c = Fixtures.emailFirst();
        Timeline t = new Fixtures.Events().sent("sms", T0.minus(Duration.ofHours(1)), "flash", "s1").timeline();

        Decision d = only(decide(ana(T0), t, c, launched(c, T0), T0));

        assertEquals(Reason.MIN_GAP, d.reason());
        assertEquals(T0.plus(Duration.ofHours(3)), d.until());
    }

    @Test
    void theSameCampaignsFollowUpIsNotHeldByTheGap() {
        Campaign c = Fixtures.smsFirst();
        Instant due = T0.plus(Duration.ofHours(1));
        Timeline t = new Fixtures.Events().sent("sms", T0, "flash", "s1").timeline();
        assertEquals(Action.SENT, only(decide(ana(T0), t, c, at(launched(c, T0), Steps.EMAIL, due,
                Map.of(Run.SMS_SENT_AT, T0.toString())), due)).action());
    }

    @Test
    void aDeferralLandsOutsideEveryRuleAtOnce() {
        // Capped until 23:00 local, which is in quiet hours: the until is the next morning, and both reasons are kept.
        Campaign c = Fixtures.emailFirst();
        Instant now = Instant.parse("2026-12-02T02:00:00Z"); // 18:00 in Los Angeles
        Timeline t = new Fixtures.Events()
                .sent("email", Instant.parse("2026-12-01T07:00:00Z"), "a", "m1")
                .sent("email", Instant.parse("2026-12-01T08:00:00Z"), "b", "m2")
                .timeline();
        ContactPolicy quietEmail = ContactPolicy.from(Map.of("emailQuietHours", Map.of("from", "21:00", "to", "08:00")));
        Decision d = new Decider(quietEmail).decide(new Decider.Input(ana(T0), t, c, launched(c, now), Fixtures::compiled, links), now).decisions().get(0);

        assertEquals(Reason.CAP_24H, d.reason());
        assertEquals(List.of(Reason.CAP_24H, Reason.QUIET_HOURS), d.reasons());
        assertEquals(Instant.parse("2026-12-02T16:00:00Z"), d.until());
    }

    // --- quiet hours across DST ----------------------------------------------------------------

    private Decision smsAt(String zone, Instant now) {
        Contact c = Fixtures.contact("c1", Map.of("phone", "+12125550100", "timezone", zone, "consent", Map.of("sms", "subscribed")), now);
        Campaign flash = Fixtures.smsFirst();
        return decide(c, Timeline.empty(), flash, launched(flash, now), now).decisions().get(0);
    }

    @Test
    void quietHoursEndAtEightLocalOnTheNightClocksSpringForward() {
        // 2026-03-08: New York moves from EST to EDT at 02:00. 01:00 EST is 06:00Z; 08:00 EDT is 12:00Z.
        Decision d = smsAt("America/New_York", Instant.parse("2026-03-08T06:00:00Z"));
        assertEquals(Reason.QUIET_HOURS, d.reason());
        assertEquals(Instant.parse("2026-03-08T12:00:00Z"), d.until());
    }

    @Test
    void quietHoursEndAtEightLocalOnTheNightClocksFallBack() {
        // 2026-11-01: New York moves from EDT to EST at 02:00. 08:00 EST is 13:00Z.
        Decision d = smsAt("America/New_York", Instant.parse("2026-11-01T05:30:00Z"));
        assertEquals(Instant.parse("2026-11-01T13:00:00Z"), d.until());
        assertEquals(Action.SENT, smsAt("America/New_York", Instant.parse("2026-11-01T13:00:00Z")).action());
    }

    @Test
    void aQuietWindowEndingInTheSpringGapEndsWhenTheGapDoes() {
        dev.tandem.campaign.QuietHours q = new dev.tandem.campaign.QuietHours(java.time.LocalTime.of(21, 0), java.time.LocalTime.of(2, 30));
        java.time.ZoneId ny = java.time.ZoneId.of("America/New_York");
        Instant night = Instant.parse("2026-03-08T05:00:00Z"); // 00:00 EST
        assertTrue(q.contains(night, ny));
        assertEquals(Instant.parse("2026-03-08T07:00:00Z"), q.nextAllowed(night, ny), "03:00 EDT, the end of the gap");
    }

    // --- triggers ------------------------------------------------------------------------------

    private static Run click(Instant at, boolean armed) {
        return new Run("c1", "winter", "click-e9", Run.Kind.TRIGGER, Steps.CLICK_NO_CONVERSION, at, at, armed,
                Map.of(Run.EMAIL_MESSAGE_ID, "m1", Run.LINK, "https://shop.example.com/p/boots", Run.TRIGGER_EVENT, "e9"), 0, null);
    }

    @Test
    void aClickWithoutConversionWaitsItsDelayThenGetsOneSms() {
        Campaign c = Fixtures.emailFirst();
        Instant clicked = Instant.parse("2026-12-01T19:00:00Z");
        Timeline t = new Fixtures.Events().sent("email", T0, "winter", "m1")
                .add("email.click", clicked, "winter", "email", "m1", Map.of("link", "https://shop.example.com/p/boots")).timeline();

        Plan armed = decide(ana(T0), t, c, click(clicked, false), clicked);
        assertTrue(armed.decisions().isEmpty());
        assertEquals(clicked.plus(Duration.ofDays(1)), assertInstanceOf(Plan.Wait.class, armed.next()).dueAt());

        Instant nextDay = clicked.plus(Duration.ofDays(1));
        Decision d = only(decide(ana(T0), t, c, click(clicked, true), nextDay));
        assertEquals(Action.SENT, d.action());
        assertEquals(Channel.SMS, d.channel());
        assertTrue(d.content().body().startsWith("Still thinking about it? https://t.example.com/l/"));
        assertEquals(List.of("https://shop.example.com/p/boots"), links.targets);
    }

    @Test
    void aConversionAfterTheClickCancelsTheNudge() {
        Campaign c = Fixtures.emailFirst();
        Instant clicked = Instant.parse("2026-12-01T19:00:00Z");
        Timeline t = new Fixtures.Events().add("email.click", clicked, "winter", "email", "m1", Map.of())
                .add("conversion", clicked.plus(Duration.ofHours(2)), null, null, null, Map.of()).timeline();
        assertEquals(Reason.CONVERTED, only(decide(ana(T0), t, c, click(clicked, true), clicked.plus(Duration.ofDays(1)))).reason());
    }

    @Test
    void aSecondClickOnTheSameEmailAddsNoSecondNudge() {
        Campaign c = Fixtures.emailFirst();
        Instant clicked = Instant.parse("2026-12-01T19:00:00Z");
        Timeline t = new Fixtures.Events()
                .add("sms.sent", clicked.plus(Duration.ofDays(1)), "winter", Steps.CLICK_NO_CONVERSION, "s9", Map.of("forMessage", "m1"))
                .timeline();
        assertInstanceOf(Plan.Drop.class, decide(ana(T0), t, c, click(clicked, true), clicked.plus(Duration.ofDays(1))).next());
    }

    @Test
    void triggersTheCampaignDoesNotHaveAreDropped() {
        Campaign c = Fixtures.smsFirst();
        Instant clicked = Instant.parse("2026-12-01T19:00:00Z");
        assertInstanceOf(Plan.Drop.class, decide(ana(T0), Timeline.empty(), c, click(clicked, false), clicked).next());
    }

    @Test
    void anSmsReplyGetsAnEmailAnswerQuotingIt() {
        Campaign c = Fixtures.emailFirst();
        Instant replied = Instant.parse("2026-12-01T20:00:00Z");
        Timeline t = new Fixtures.Events()
                .add("sms.reply", replied, "winter", null, null, Map.of("text", "Do you have size 42?")).timeline();
        Run run = new Run("c1", "winter", "reply-e1", Run.Kind.TRIGGER, Steps.SMS_REPLY, replied, replied, false,
                Map.of(Run.TRIGGER_EVENT, "e1"), 0, null);

        Decision d = only(decide(ana(T0), t, c, run, replied));

        assertEquals(Channel.EMAIL, d.channel());
        assertTrue(d.content().body().contains("You wrote: Do you have size 42?"), d.content().body());
    }

    // --- personalisation -----------------------------------------------------------------------

    @Test
    void missingValuesRenderCleanly() {
        Campaign c = Fixtures.emailFirst();
        Contact nameless = Fixtures.contact("c1", Map.of("email", "a@example.com", "consent", Map.of("email", "subscribed")), T0);

        Decision d = only(decide(nameless, Timeline.empty(), c, launched(c, T0), T0));

        assertEquals("<p>Hi there, </p>", d.content().body());
        assertEquals(", your winter picks", d.content().subject());
        assertFalse(d.content().body().contains("null"));
    }

    @Test
    void everyDeferralNamesWhenItGoes() {
        Campaign c = Fixtures.emailFirst();
        Instant due = Instant.parse("2026-12-02T06:00:00Z");
        Decision d = only(decide(ana(T0), Timeline.empty(), c, at(launched(c, T0), Steps.SMS, due, emailData()), due));
        assertNotNull(d.until());
        assertNull(d.content());
    }
}
