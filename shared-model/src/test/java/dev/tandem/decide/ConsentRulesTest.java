package dev.tandem.decide;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decision.Action;
import dev.tandem.ingest.TriggerWork;
import dev.tandem.timeline.Timeline;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMS double opt-in and the transactional messages that stand outside the frequency budget (docs/consent.md). */
class ConsentRulesTest {
    /** 23:00 in Los Angeles: inside the default SMS quiet hours. */
    private static final Instant NIGHT = Instant.parse("2026-12-02T07:00:00Z");
    private final Fixtures.CountingLinks links = new Fixtures.CountingLinks();

    static {
        Fixtures.TEMPLATES.put("optin-sms", dev.tandem.campaign.MessageTemplate.from("optin-sms", Map.of("channel", "sms",
                "body", "Acme: reply YES to get order texts{{#contact.firstName}}, {{contact.firstName}}{{/contact.firstName}}. Msg&data rates may apply. STOP to end")));
    }

    private Plan decide(Contact c, Timeline t, Campaign campaign, Run run, Instant now) {
        return new Decider(ContactPolicy.DEFAULT).decide(new Decider.Input(c, t, campaign, run, Fixtures::compiled, links), now);
    }

    private static Contact pending(Instant at) {
        return Fixtures.contact("c1", Map.of("phone", "+14155550101", "timezone", "America/Los_Angeles",
                "consent", Map.of("sms", "pending"), "attributes", Map.of("firstName", "Ana")), at);
    }

    private static Run optInRun(Contact before, Contact after) {
        TriggerWork w = TriggerWork.smsOptIn(before, after).orElseThrow();
        return new Run("c1", w.campaign(), w.occurrence(), Run.Kind.TRIGGER, w.trigger(), w.dueAt(), w.dueAt(), false, w.data(), 0, null);
    }

    @Test
    void aPendingNumberGetsItsOneConfirmationAtOnceEvenInQuietHours() {
        Contact c = pending(NIGHT);
        Plan p = decide(c, Timeline.empty(), Campaign.smsOptIn("optin-sms"), optInRun(null, c), NIGHT);

        Decision d = p.decisions().get(0);
        assertEquals(Action.SENT, d.action());
        assertEquals(Steps.SMS_OPT_IN, d.step());
        assertEquals("Acme: reply YES to get order texts, Ana. Msg&data rates may apply. STOP to end", d.content().body());
        assertInstanceOf(Plan.Finish.class, p.next());
    }

    @Test
    void savingTheSameRequestAgainStartsNoSecondRun() {
        Contact c = pending(NIGHT);
        Contact again = Fixtures.contact("c1", Map.of("phone", "+14155550101", "consent", Map.of("sms", "pending")), NIGHT.plusSeconds(60));
        Contact kept = dev.tandem.contact.ContactDraft.from("c1", Map.of("phone", "+14155550101", "consent", Map.of("sms", "pending")),
                "api", NIGHT.plusSeconds(60)).applyTo(c, NIGHT.plusSeconds(60));

        assertTrue(TriggerWork.smsOptIn(c, kept).isEmpty(), "the same pending consent asks nothing more");
        assertTrue(TriggerWork.smsOptIn(null, again).isPresent());
    }

    @Test
    void theConfirmationGoesOnlyWhileItsRequestIsTheCurrentOne() {
        Contact first = pending(NIGHT);
        Run run = optInRun(null, first);
        Contact unsubscribed = first.withConsent(Channel.SMS, dev.tandem.contact.Consent.unsubscribed("api", NIGHT.plusSeconds(5)), NIGHT.plusSeconds(5));
        Contact askedAgain = unsubscribed.withConsent(Channel.SMS, new dev.tandem.contact.Consent(
                dev.tandem.contact.ConsentStatus.PENDING, "api", NIGHT.plusSeconds(9)), NIGHT.plusSeconds(9));
        Contact optedOut = first.withState(Channel.SMS, ChannelState.optedOut("keyword STOP", NIGHT.plusSeconds(5)), NIGHT.plusSeconds(5));

        Campaign optIn = Campaign.smsOptIn("optin-sms");
        assertEquals(Reason.NO_CONSENT, decide(unsubscribed, Timeline.empty(), optIn, run, NIGHT).decisions().get(0).reason());
        assertEquals(List.of(), decide(askedAgain, Timeline.empty(), optIn, run, NIGHT).decisions(), "the newer request has its own run");
        assertEquals(Reason.OPTED_OUT, decide(optedOut, Timeline.empty(), optIn, run, NIGHT).decisions().get(0).reason());
        assertEquals(Reason.INVALID_DEFINITION, decide(first, Timeline.empty(), Campaign.smsOptIn(null), run, NIGHT).decisions().get(0).reason());
    }

    @Test
    void nothingElseGoesToAPendingNumber() {
        Contact c = Fixtures.contact("c1", Map.of("email", "ana@example.com", "phone", "+14155550101",
                "consent", Map.of("email", "subscribed", "sms", "pending")), NIGHT);
        Campaign flash = Fixtures.smsFirst();
        Instant noon = Instant.parse("2026-12-02T20:00:00Z");

        Plan p = decide(c, Timeline.empty(), flash, Run.launched("c1", flash.id(), "L1", Steps.SMS, noon), noon);

        assertEquals(Reason.PENDING_CONSENT, p.decisions().get(0).reason(), "the SMS alert is skipped");
        assertEquals(Channel.EMAIL, p.decisions().get(1).channel(), "and the email goes instead");
        assertEquals(Reason.PENDING_CONSENT, Decider.closed(c, Channel.SMS).orElseThrow());
    }

    @Test
    void aTransactionalMessageIsOutsideQuietHoursAndCaps() {
        Map<String, Object> def = new HashMap<>(Map.of("topic", "Your order", "playbook", "sms-first", "sms", "flash-sms",
                "email", "flash-email", "link", "https://shop.example.com/order"));
        Campaign promotional = Fixtures.campaign("order", def);
        def.put("transactional", true);
        Campaign transactional = Fixtures.campaign("order", def);
        Contact ana = Fixtures.ana(NIGHT);
        Timeline full = new Fixtures.Events().sent("sms", NIGHT.minusSeconds(3600), "other", "s1")
                .sent("email", NIGHT.minusSeconds(1800), "other", "m1").timeline();

        Run run = Run.launched("c1", "order", "L1", Steps.SMS, NIGHT);
        assertEquals(Action.DEFERRED, decide(ana, full, promotional, run, NIGHT).decisions().get(0).action());
        assertEquals(Action.SENT, decide(ana, full, transactional, run, NIGHT).decisions().get(0).action());
    }

    @Test
    void transactionalSendsDoNotFillThePromotionalBudget() {
        Fixtures.Events e = new Fixtures.Events();
        e.add("sms.sent", NIGHT.minusSeconds(3600), "order", "sms", "s1", Map.of("transactional", true));
        e.add("email.sent", NIGHT.minusSeconds(1800), "order", "email", "m1", Map.of("transactional", true));
        Campaign flash = Fixtures.smsFirst();
        Instant noon = Instant.parse("2026-12-02T20:00:00Z");

        Plan p = decide(Fixtures.ana(noon), e.timeline(), flash, Run.launched("c1", flash.id(), "L1", Steps.SMS, noon), noon);

        assertEquals(Action.SENT, p.decisions().get(0).action(), p.decisions().toString());
    }
}
