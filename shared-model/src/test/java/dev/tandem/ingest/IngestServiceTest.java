package dev.tandem.ingest;

import dev.tandem.app.IngestService;
import dev.tandem.app.IngestService.Outcome;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.contact.Reachability;
import dev.tandem.port.SmsSender;
import dev.tandem.testing.InMemoryEngagementStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestServiceTest {
    private static final Instant T = Instant.parse("2026-12-01T17:00:00Z");
    private final InMemoryEngagementStore store = new InMemoryEngagementStore();
    private final List<SmsSender.Sms> sent = new ArrayList<>();
    private final SmsSender sms = m -> {
        sent.add(m);
        return "sns-" + sent.size();
    };
    private final IngestService ingest = new IngestService(store, sms,
            new IngestService.SmsTexts("You are unsubscribed.", "Reply STOP to stop.", "Welcome back."));

    @BeforeEach
    void ana() {
        Contact c = ContactDraft.from("c1", Map.of("email", "ana@example.com", "phone", "+14155550101",
                "consent", Map.of("email", "subscribed", "sms", "subscribed")), "test", T).applyTo(null, T);
        store.save(c, null);
    }

    private static EmailNotification email(EmailNotification.Kind kind, Map<String, String> tags, Map<String, Object> details) {
        return new EmailNotification(kind, "m1", T.plusSeconds(60), tags, List.of("ana@example.com"), details, "sns-1");
    }

    private static final Map<String, String> TAGS = Map.of("tandem-contact", "c1", "tandem-campaign", "winter", "tandem-step", "email");

    private TimelineEvent only() {
        List<TimelineEvent> events = store.events("c1");
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }

    @Test
    void aTaggedOpenLandsOnTheTimelineWithCampaignAndStep() {
        assertEquals(List.of(Outcome.ADDED), ingest.email(email(EmailNotification.Kind.OPEN, TAGS,
                Map.of("userAgent", "Mozilla/5.0 (iPhone)", "ipAddress", "203.0.113.7"))));

        TimelineEvent e = only();
        assertEquals("email.open", e.type());
        assertEquals("winter", e.campaign());
        assertEquals("email", e.step());
        assertFalse(e.machine());
        assertEquals(1, store.counters.get("winter:email.open.human"));
    }

    @Test
    void anAppleProxyOpenIsKeptAsAMachineOpen() {
        ingest.email(email(EmailNotification.Kind.OPEN, TAGS, Map.of("userAgent", "Mozilla/5.0", "ipAddress", "17.1.2.3")));

        assertTrue(only().machine());
        assertEquals(1, store.counters.get("winter:email.open.machine"));
    }

    @Test
    void theSameSesEventTwiceAddsNothingTheSecondTime() {
        EmailNotification open = email(EmailNotification.Kind.OPEN, TAGS, Map.of("userAgent", "UA", "ipAddress", "1.2.3.4"));
        EmailNotification again = new EmailNotification(open.kind(), open.messageId(), open.at(), open.tags(),
                open.recipients(), open.details(), "another-sns-message");

        assertEquals(List.of(Outcome.ADDED), ingest.email(open));
        assertEquals(List.of(Outcome.DUPLICATE), ingest.email(again));
        assertEquals(1, store.events("c1").size());
    }

    @Test
    void aPermanentBounceSuppressesEmail() {
        ingest.email(email(EmailNotification.Kind.BOUNCE, Map.of(), Map.of("bounceType", "Permanent", "bounceSubType", "General")));

        Contact c = store.find("c1").orElseThrow();
        assertEquals(Reachability.SUPPRESSED, c.stateOf(Channel.EMAIL).status());
        assertEquals("bounce: Permanent/General", c.stateOf(Channel.EMAIL).reason());
        assertEquals("email.bounce", only().type());
    }

    @Test
    void aTransientBounceAndADelaySuppressNothing() {
        ingest.email(email(EmailNotification.Kind.BOUNCE, Map.of(), Map.of("bounceType", "Transient")));
        ingest.email(email(EmailNotification.Kind.DELIVERY_DELAY, TAGS, Map.of("delayType", "MailboxFull")));

        assertEquals(Reachability.REACHABLE, store.find("c1").orElseThrow().stateOf(Channel.EMAIL).status());
        assertEquals(2, store.events("c1").size());
    }

    @Test
    void aComplaintSuppressesAndUnsubscribesEmail() {
        ingest.email(email(EmailNotification.Kind.COMPLAINT, TAGS, Map.of("complaintFeedbackType", "abuse")));

        Contact c = store.find("c1").orElseThrow();
        assertEquals(Reachability.SUPPRESSED, c.stateOf(Channel.EMAIL).status());
        assertEquals(ConsentStatus.UNSUBSCRIBED, c.consent().get(Channel.EMAIL).status());
        assertEquals("complaint", c.consent().get(Channel.EMAIL).source());
    }

    @Test
    void anUntaggedNotificationFindsItsContactByAddress() {
        ingest.email(email(EmailNotification.Kind.DELIVERY, Map.of(), Map.of()));
        assertEquals("email.delivered", only().type());
    }

    @Test
    void anUnknownRecipientIsKeptAsUnmatchedWithItsReason() {
        EmailNotification n = new EmailNotification(EmailNotification.Kind.DELIVERY, "m9", T, Map.of(),
                List.of("nobody@example.com"), Map.of(), "sns-9");

        assertEquals(List.of(Outcome.UNMATCHED), ingest.email(n));
        Unmatched u = store.unmatched.values().iterator().next();
        assertEquals("nobody@example.com", u.email(), "what matching needs");
        assertEquals("m9", u.messageId());
        assertTrue(!u.reason().contains("nobody@example.com"), "and nothing else: " + u.reason());
    }

    @Test
    void aTagNamingAnErasedContactIsUnmatched() {
        Map<String, String> tags = Map.of("tandem-contact", "gone", "tandem-campaign", "winter");
        assertEquals(List.of(Outcome.UNMATCHED), ingest.email(email(EmailNotification.Kind.OPEN, tags, Map.of())));
        assertEquals(1, store.unmatched.size());
    }

    @Test
    void tandemsOwnSendEventIsAlreadyOnTheTimeline() {
        assertEquals(List.of(Outcome.IGNORED), ingest.email(email(EmailNotification.Kind.SEND, TAGS, Map.of())));
        assertTrue(store.events("c1").isEmpty());
    }

    @Test
    void aClickLeavesWorkForTheClickWithoutConversionTrigger() {
        ingest.email(email(EmailNotification.Kind.CLICK, TAGS, Map.of("link", "https://shop.example.com/p/1")));

        assertEquals(1, store.work.size());
        assertEquals(TriggerWork.CLICK_NO_CONVERSION, store.work.get(0).trigger());
        assertEquals("winter", store.work.get(0).campaign());
        assertEquals("https://shop.example.com/p/1", only().data().get("link"));
    }

    @Test
    void everySesKindMapsToItsTimelineType() {
        Map<EmailNotification.Kind, String> expected = Map.of(
                EmailNotification.Kind.DELIVERY, "email.delivered",
                EmailNotification.Kind.REJECT, "email.reject",
                EmailNotification.Kind.RENDERING_FAILURE, "email.reject",
                EmailNotification.Kind.DELIVERY_DELAY, "email.delivery_delay",
                EmailNotification.Kind.CLICK, "email.click",
                EmailNotification.Kind.SUBSCRIPTION, "email.unsubscribe");
        expected.forEach((kind, type) -> {
            InMemoryEngagementStore s = new InMemoryEngagementStore();
            s.save(store.find("c1").orElseThrow(), null);
            Map<String, Object> details = kind == EmailNotification.Kind.SUBSCRIPTION ? Map.of("unsubscribeAll", true) : Map.of();
            new IngestService(s, null, null).email(email(kind, TAGS, details));
            assertEquals(type, s.events("c1").get(0).type(), kind.name());
        });
    }

    private static SmsInbound inbound(String id, String body) {
        return new SmsInbound(id, "+14155550101", "+18005550199", null, body, T.plusSeconds(3600));
    }

    @Test
    void stopOptsOutAtOnceWithOneConfirmationEvenWhenDeliveredTwice() {
        assertEquals(Outcome.ADDED, ingest.smsInbound(inbound("in-1", "  Stop ")));
        assertEquals(Outcome.DUPLICATE, ingest.smsInbound(inbound("in-1", "  Stop ")));
        assertEquals(Outcome.ADDED, ingest.smsInbound(inbound("in-2", "STOP")));

        Contact c = store.find("c1").orElseThrow();
        assertEquals(Reachability.OPTED_OUT, c.stateOf(Channel.SMS).status());
        assertEquals(ConsentStatus.UNSUBSCRIBED, c.consent().get(Channel.SMS).status());
        assertEquals(List.of("You are unsubscribed."), sent.stream().map(SmsSender.Sms::text).toList());
        assertEquals(1, store.events("c1").stream().filter(e -> e.type().equals("sms.sent")).count());
        assertTrue(store.messages.containsKey("sns-1"), "the confirmation's message id maps back to the contact");
    }

    @Test
    void helpGetsTheHelpTextAndStartOptsBackIn() {
        ingest.smsInbound(inbound("in-1", "stop"));
        ingest.smsInbound(inbound("in-2", "help"));
        ingest.smsInbound(inbound("in-3", "Start"));
        ingest.smsInbound(inbound("in-4", "INFO"));

        assertEquals(List.of("You are unsubscribed.", "Welcome back.", "Reply STOP to stop."),
                sent.stream().map(SmsSender.Sms::text).toList(), "no help text while opted out");
        assertEquals(Reachability.REACHABLE, store.find("c1").orElseThrow().stateOf(Channel.SMS).status());
    }

    @Test
    void anyOtherTextIsAReplyCarryingItsTextAndLeavesWorkForTheAnswer() {
        store.add(new TimelineEvent("s0", "c1", "sms.sent", T, "flash", "sms", "sns-0", Map.of("text", "Sale!")));

        ingest.smsInbound(inbound("in-1", "Do you have size 42?"));

        TimelineEvent reply = store.events("c1").stream().filter(e -> e.type().equals("sms.reply")).findFirst().orElseThrow();
        assertEquals("Do you have size 42?", reply.data().get("text"));
        assertEquals("flash", reply.campaign());
        assertEquals(TriggerWork.SMS_REPLY, store.work.get(0).trigger());
        assertTrue(sent.isEmpty());
    }

    @Test
    void anInboundFromAnUnknownNumberIsUnmatched() {
        SmsInbound in = new SmsInbound("in-x", "+14155559999", "+18005550199", null, "hi", T);
        assertEquals(Outcome.UNMATCHED, ingest.smsInbound(in));
        Unmatched u = store.unmatched.values().iterator().next();
        assertEquals("+14155559999", u.phone(), "kept naming the number, for matching and for erasure");
        assertTrue(!u.reason().contains("+14155559999"), u.reason());
    }

    @Test
    void deliveryStatusesMapByProviderMessageId() {
        store.messages.put("sns-7", new SentMessage("sns-7", "c1", Channel.SMS, "flash", "sms"));

        assertEquals(Outcome.ADDED, ingest.smsStatus(new SmsStatus("sns-7", "TEXT_DELIVERED", true, T, "ok")));
        assertEquals(Outcome.ADDED, ingest.smsStatus(new SmsStatus("sns-7", "TEXT_BLOCKED", true, T.plusSeconds(1), "blocked")));
        assertEquals(Outcome.IGNORED, ingest.smsStatus(new SmsStatus("sns-7", "TEXT_PENDING", false, T, null)));
        assertEquals(Outcome.UNMATCHED, ingest.smsStatus(new SmsStatus("sns-404", "TEXT_DELIVERED", true, T, null)));

        assertEquals(List.of("sms.failed", "sms.delivered"),
                store.events("c1").stream().map(TimelineEvent::type).sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void aStopWhoseConfirmationCannotGoIsRecordedAsAFailedReplyNotLost() {
        IngestService refused = new IngestService(store, m -> {
            throw new dev.tandem.port.ProviderUnavailableException(dev.tandem.contact.Channel.SMS, "SNS: AuthorizationError");
        }, new IngestService.SmsTexts("You are unsubscribed.", "Reply STOP to stop.", "Welcome back."));

        assertEquals(Outcome.ADDED, refused.smsInbound(inbound("in-1", "STOP")));

        List<String> types = store.events("c1").stream().map(dev.tandem.timeline.TimelineEvent::type).sorted().toList();
        assertEquals(List.of("sms.failed", "sms.opt_out"), types, "the confirmation that did not go is on the timeline");
    }

    @Test
    void everyConsentChangeIsKeptInTheHistoryWithItsEvidence() {
        ingest.email(email(EmailNotification.Kind.COMPLAINT, TAGS, Map.of("complaintFeedbackType", "abuse")));
        ingest.smsInbound(inbound("in-1", "Stop"));
        ingest.smsInbound(inbound("in-1", "Stop"));

        List<dev.tandem.contact.ConsentEntry> history = store.consentHistory("c1");
        assertEquals(List.of("test", "test", "complaint", "keyword"), history.stream().map(dev.tandem.contact.ConsentEntry::source).toList(),
                "the test contact's two channels, then one line per act; a redelivered STOP adds none");
        assertEquals(Map.of("feedbackType", "abuse", "messageId", "m1"), history.get(2).evidence());
        assertEquals(Map.of("keyword", "STOP", "reply", "Stop", "messageId", "in-1"), history.get(3).evidence());
        assertEquals("unsubscribed", history.get(3).status());
    }

    @Test
    void aPermanentBounceIsKeptInTheHistoryAsTheChannelSuppressed() {
        ingest.email(email(EmailNotification.Kind.BOUNCE, TAGS, Map.of("bounceType", "Permanent", "bounceSubType", "General")));

        dev.tandem.contact.ConsentEntry last = store.consentHistory("c1").get(2);
        assertEquals("bounce", last.source());
        assertEquals("suppressed", last.status());
        assertEquals(Map.of("reason", "bounce: Permanent/General", "messageId", "m1"), last.evidence());
    }

    @Test
    void yesConfirmsAPendingNumberWithTheRequestAndTheReplyAsEvidence() {
        Contact before = store.find("c1").orElseThrow();
        Contact pending = before.withConsent(Channel.SMS, new dev.tandem.contact.Consent(ConsentStatus.PENDING, "api", T,
                Map.of("text", "Reply YES for order texts", "ip", "203.0.113.9")), T);
        store.save(pending, before);
        store.add(new TimelineEvent("optin-sent", "c1", "sms.sent", T.plusSeconds(30), dev.tandem.campaign.Campaign.SMS_OPT_IN,
                dev.tandem.campaign.Steps.SMS_OPT_IN, "sns-optin", Map.of("text", "Reply YES")));

        ingest.smsInbound(inbound("in-9", " yes "));

        dev.tandem.contact.Consent now = store.find("c1").orElseThrow().consent().get(Channel.SMS);
        assertEquals(ConsentStatus.SUBSCRIBED, now.status());
        assertEquals("double-opt-in", now.source());
        assertEquals("Reply YES for order texts", now.evidence().get("text"));
        assertEquals("203.0.113.9", now.evidence().get("ip"));
        assertEquals(T.toString(), now.evidence().get("requestedAt"));
        assertEquals("YES", now.evidence().get("keyword"));
        assertEquals("in-9", now.evidence().get("messageId"));
        assertEquals("sns-optin", now.evidence().get("confirmationMessageId"));
        assertEquals(List.of(), sent, "a confirmed opt-in sends nothing of its own");
        assertEquals("double-opt-in", store.consentHistory("c1").get(store.consentHistory("c1").size() - 1).source());
    }

    @Test
    void aComplaintOlderThanANewerConsentIsKeptAsTheSuppressionItMade() {
        Contact before = store.find("c1").orElseThrow();
        store.save(before.withConsent(Channel.EMAIL, dev.tandem.contact.Consent.subscribed("api", T.plusSeconds(600)), T.plusSeconds(600)), before);

        // The complaint (at T+60s) is older than the consent set at T+600s: it suppresses, and leaves the consent.
        ingest.email(email(EmailNotification.Kind.COMPLAINT, TAGS, Map.of("complaintFeedbackType", "abuse")));

        // The history is in the order of the acts: the complaint comes before the newer consent.
        List<dev.tandem.contact.ConsentEntry> history = store.consentHistory("c1");
        assertEquals(List.of("test", "test", "complaint", "api"), history.stream().map(dev.tandem.contact.ConsentEntry::source).toList());
        dev.tandem.contact.ConsentEntry last = history.get(2);
        assertEquals("suppressed", last.status());
        assertEquals("complaint", last.source());
        assertEquals(Map.of("feedbackType", "abuse", "messageId", "m1"), last.evidence());
        assertEquals(ConsentStatus.SUBSCRIBED, store.find("c1").orElseThrow().consent().get(Channel.EMAIL).status());
    }

    @Test
    void aReplyToTheOptInRequestThatIsNotYesAnswersNoCampaign() {
        store.add(new TimelineEvent("optin-sent", "c1", "sms.sent", T.plusSeconds(30), dev.tandem.campaign.Campaign.SMS_OPT_IN,
                dev.tandem.campaign.Steps.SMS_OPT_IN, "sns-optin", Map.of("text", "Reply YES")));

        ingest.smsInbound(inbound("in-ok", "ok sure"));

        assertEquals(List.of(), store.work, "no smsReply run for Tandem's own opt-in campaign");
    }
}
