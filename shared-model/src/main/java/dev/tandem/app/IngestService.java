package dev.tandem.app;

import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Consent;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;
import dev.tandem.contact.Reachability;
import dev.tandem.ingest.EmailNotification;
import dev.tandem.ingest.Engagement;
import dev.tandem.ingest.EventIds;
import dev.tandem.ingest.Keyword;
import dev.tandem.ingest.MachineOpens;
import dev.tandem.ingest.ProfileChange;
import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.SmsInbound;
import dev.tandem.ingest.SmsStatus;
import dev.tandem.ingest.TriggerWork;
import dev.tandem.ingest.Unmatched;
import dev.tandem.port.ContactStore;
import dev.tandem.port.EngagementStore;
import dev.tandem.port.EngagementStore.Recorded;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.SmsSender;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns provider notifications into timeline events on the one contact timeline: SES events (both forms),
 * inbound SMS with its keywords, and SMS delivery statuses. Every notification either lands on a
 * timeline, is a duplicate that adds nothing, is kept as unmatched with its reason, or is ignored by design.
 */
public final class IngestService {
    private static final java.time.Duration REPLY_WINDOW = java.time.Duration.ofDays(7);

    private final EngagementStore store;
    private final SmsSender sms;
    private final SmsTexts texts;

    /** The texts of the automatic SMS replies; a null start text sends no START confirmation. */
    public record SmsTexts(String stop, String help, String start) {
        public SmsTexts {
            Objects.requireNonNull(stop, "stop");
            Objects.requireNonNull(help, "help");
        }
    }

    /** How one notification ended. */
    public enum Outcome { ADDED, DUPLICATE, UNMATCHED, IGNORED }

    public IngestService(EngagementStore store, SmsSender sms, SmsTexts texts) {
        this.store = Objects.requireNonNull(store, "store");
        this.sms = sms;
        this.texts = texts;
    }

    // --- email ---------------------------------------------------------------------------------

    public List<Outcome> email(EmailNotification n) {
        String contactTag = n.tag(EmailNotification.TAG_CONTACT);
        if (n.kind() == EmailNotification.Kind.SEND && contactTag != null) {
            // Tandem's own send: the decider already recorded email.sent with this message id.
            return List.of(Outcome.IGNORED);
        }
        if (n.kind() == EmailNotification.Kind.SUBSCRIPTION && !Boolean.TRUE.equals(n.details().get("unsubscribeAll"))) {
            return List.of(Outcome.IGNORED);
        }
        List<Target> targets = new ArrayList<>();
        if (contactTag != null) {
            targets.add(new Target(contactTag, n.tag(EmailNotification.TAG_CAMPAIGN), n.tag(EmailNotification.TAG_STEP),
                    n.recipients().isEmpty() ? null : n.recipients().get(0), "tag tandem-contact"));
        } else {
            Optional<SentMessage> sent = store.sentMessage(n.messageId());
            if (sent.isPresent()) {
                SentMessage m = sent.get();
                targets.add(new Target(m.contactId(), m.campaign(), m.step(),
                        n.recipients().isEmpty() ? null : n.recipients().get(0), "message id"));
            } else if ((n.kind() == EmailNotification.Kind.OPEN || n.kind() == EmailNotification.Kind.CLICK) && n.recipients().size() > 1) {
                // An open or a click says the email was opened, not by whom: with several recipients it is nobody's
                // engagement in particular. Kept, naming each address, rather than counted for all of them.
                for (String address : n.recipients()) {
                    keep(new Unmatched(EventIds.of("unmatched", "ses", n.messageId(), n.kind().wire(), n.at().toString(), address),
                            "ses", n.at(), "an " + n.kind().wire().toLowerCase(java.util.Locale.ROOT) + " of an email to "
                            + n.recipients().size() + " recipients cannot be told apart", n.kind().wire(), n.messageId(), address, null, null));
                }
                return List.of(Outcome.UNMATCHED);
            } else {
                for (String address : n.recipients()) {
                    Optional<String> id = store.contactByEmail(address);
                    if (id.isPresent()) {
                        targets.add(new Target(id.get(), null, null, address, "address"));
                    } else {
                        keep(new Unmatched(EventIds.of("unmatched", "ses", n.messageId(), n.kind().wire(), n.at().toString(), address),
                                "ses", n.at(), "no contact has this email address", n.kind().wire(), n.messageId(), address, null, null));
                    }
                }
            }
        }
        if (targets.isEmpty()) {
            if (n.recipients().isEmpty()) {
                keep(new Unmatched(EventIds.of("unmatched", "ses", n.messageId(), n.kind().wire(), n.at().toString()),
                        "ses", n.at(), "the notification names no recipient and no tandem-contact tag", n.kind().wire(), n.messageId(),
                        null, null, null));
            }
            return List.of(Outcome.UNMATCHED);
        }
        List<Outcome> out = new ArrayList<>();
        for (Target t : targets) {
            Engagement e = emailEngagement(n, t);
            if (e.change() != null) {
                // A bounce, complaint or unsubscribe changes the profile only where it is newer than what it holds.
                Optional<ContactStore.ContactView> v = store.view(t.contactId, n.at(), 0);
                if (v.isEmpty()) {
                    keep(gone(e.event().eventId(), n, t));
                    out.add(Outcome.UNMATCHED);
                    continue;
                }
                e = new Engagement(e.event(), e.change().newerThan(v.get().contact()), e.work(), e.lookup(), e.guarded(), true);
            }
            Recorded r = store.record(e);
            if (r == Recorded.NO_CONTACT) {
                keep(gone(e.event().eventId(), n, t));
                out.add(Outcome.UNMATCHED);
            } else {
                out.add(r == Recorded.ADDED ? Outcome.ADDED : Outcome.DUPLICATE);
            }
        }
        return out;
    }

    private record Target(String contactId, String campaign, String step, String address, String by) {
    }

    private static Engagement emailEngagement(EmailNotification n, Target t) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (t.address != null) {
            data.put("address", t.address);
        }
        String type;
        ProfileChange change = null;
        List<TriggerWork> work = List.of();
        switch (n.kind()) {
            case SEND -> {
                type = EventType.EMAIL_SENT.wire();
                putIf(data, "subject", n.detail("subject"));
            }
            case DELIVERY -> type = EventType.EMAIL_DELIVERED.wire();
            case OPEN -> {
                type = EventType.EMAIL_OPEN.wire();
                putIf(data, "userAgent", n.detail("userAgent"));
                putIf(data, "ip", n.detail("ipAddress"));
                data.put("machine", MachineOpens.isMachine(n.detail("userAgent"), n.detail("ipAddress")));
            }
            case CLICK -> {
                type = EventType.EMAIL_CLICK.wire();
                putIf(data, "link", n.detail("link"));
                putIf(data, "userAgent", n.detail("userAgent"));
                putIf(data, "ip", n.detail("ipAddress"));
            }
            case BOUNCE -> {
                type = EventType.EMAIL_BOUNCE.wire();
                putIf(data, "bounceType", n.detail("bounceType"));
                putIf(data, "bounceSubType", n.detail("bounceSubType"));
                putIf(data, "diagnostic", n.detail("diagnosticCode"));
                if ("Permanent".equals(n.detail("bounceType"))) {
                    change = new ProfileChange(Channel.EMAIL, ChannelState.suppressed(
                            "bounce: Permanent" + (n.detail("bounceSubType") == null ? "" : "/" + n.detail("bounceSubType")),
                            n.at()), null);
                }
            }
            case COMPLAINT -> {
                type = EventType.EMAIL_COMPLAINT.wire();
                putIf(data, "feedbackType", n.detail("complaintFeedbackType"));
                // A "not-spam" report says the person does want the mail: recorded, and it neither suppresses nor unsubscribes.
                if (!"not-spam".equalsIgnoreCase(n.detail("complaintFeedbackType"))) {
                    change = new ProfileChange(Channel.EMAIL, ChannelState.suppressed("complaint", n.at()),
                            new Consent(ConsentStatus.UNSUBSCRIBED, Consent.COMPLAINT, n.at(), Consent.evidence(
                                    "feedbackType", n.detail("complaintFeedbackType"), "messageId", n.messageId())));
                }
            }
            case REJECT -> {
                type = EventType.EMAIL_REJECT.wire();
                putIf(data, "reason", n.detail("reason"));
            }
            case RENDERING_FAILURE -> {
                type = EventType.EMAIL_REJECT.wire();
                data.put("reason", "rendering failure" + (n.detail("errorMessage") == null ? "" : ": " + n.detail("errorMessage")));
            }
            case DELIVERY_DELAY -> {
                type = EventType.EMAIL_DELIVERY_DELAY.wire();
                putIf(data, "delayType", n.detail("delayType"));
            }
            case SUBSCRIPTION -> {
                type = EventType.EMAIL_UNSUBSCRIBE.wire();
                data.put("source", "list-management");
                change = new ProfileChange(Channel.EMAIL, null, new Consent(ConsentStatus.UNSUBSCRIBED, Consent.UNSUBSCRIBE_LINK,
                        n.at(), Consent.evidence("link", "ses-list-management", "messageId", n.messageId())));
            }
            default -> throw new IllegalStateException("unhandled " + n.kind());
        }
        String eventId = EventIds.of("ses", n.messageId(), n.kind().wire(), n.at().toString(), t.contactId,
                n.detail("link"), n.detail("userAgent"), n.detail("ipAddress"));
        TimelineEvent event = new TimelineEvent(eventId, t.contactId, type, n.at(), t.campaign, t.step, n.messageId(), data);
        if (n.kind() == EmailNotification.Kind.CLICK && t.campaign != null) {
            Map<String, String> runData = new LinkedHashMap<>();
            runData.put("emailMessageId", n.messageId());
            runData.put("triggerEvent", eventId);
            if (n.detail("link") != null) {
                runData.put("link", n.detail("link"));
            }
            work = List.of(new TriggerWork(TriggerWork.CLICK_NO_CONVERSION, t.campaign, "click-" + eventId, n.at(), runData));
        }
        return new Engagement(event, change, work, null, false, !t.by.startsWith("tag"));
    }

    private static void putIf(Map<String, Object> data, String key, String value) {
        if (value != null && !value.isEmpty()) {
            data.put(key, value);
        }
    }

    // --- inbound SMS ---------------------------------------------------------------------------

    public Outcome smsInbound(SmsInbound in) {
        String unmatched = EventIds.of("unmatched", "sms-in", in.inboundMessageId());
        Optional<String> id = store.contactByPhone(in.from());
        if (id.isEmpty()) {
            keep(new Unmatched(unmatched, "sms", in.at(), "no contact has this phone number", "inbound", in.inboundMessageId(),
                    null, in.from(), null));
            return Outcome.UNMATCHED;
        }
        Optional<ContactStore.ContactView> contact = store.view(id.get(), in.at().minus(REPLY_WINDOW), 50);
        if (contact.isEmpty()) {
            keep(new Unmatched(unmatched, "sms", in.at(), "the contact this phone number belonged to is gone", "inbound",
                    in.inboundMessageId(), null, in.from(), id.get()));
            return Outcome.UNMATCHED;
        }
        Contact c = contact.get().contact();
        // A reply belongs to the campaign of the last SMS the contact got, if one came recently.
        String campaign = contact.get().timeline().lastSms().map(TimelineEvent::campaign).orElse(null);
        boolean optedOut = c.stateOf(Channel.SMS).status() == Reachability.OPTED_OUT;
        String eventId = "sms-in-" + in.inboundMessageId();
        Keyword keyword = Keyword.of(in.body());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", in.body());
        if (keyword != Keyword.NONE) {
            data.put("keyword", keyword.name());
        }
        String type;
        ProfileChange change = null;
        List<TriggerWork> work = List.of();
        String reply = null;
        String replyStep = null;
        switch (keyword) {
            case STOP -> {
                type = EventType.SMS_OPT_OUT.wire();
                // Consent follows the time of the act: a STOP older than the profile's last SMS change (a later START
                // processed first) is recorded, changes nothing and is not confirmed.
                change = optedOut ? null : new ProfileChange(Channel.SMS, ChannelState.optedOut("keyword " + Keyword.STOP.name(), in.at()),
                        new Consent(ConsentStatus.UNSUBSCRIBED, Consent.KEYWORD, in.at(), keywordEvidence(in))).newerThan(c);
                if (change != null) {
                    reply = texts.stop();
                    replyStep = "stop-confirmation";
                }
            }
            case START -> {
                type = EventType.SMS_OPT_IN.wire();
                change = new ProfileChange(Channel.SMS, ChannelState.reachable("keyword " + Keyword.START.name(), in.at()),
                        optIn(c, contact.get().timeline(), in)).newerThan(c);
                if (change != null && optedOut && texts.start() != null) {
                    reply = texts.start();
                    replyStep = "start-confirmation";
                }
            }
            case HELP -> {
                type = EventType.SMS_REPLY.wire();
                if (!optedOut) {
                    reply = texts.help();
                    replyStep = "help";
                }
            }
            default -> {
                type = EventType.SMS_REPLY.wire();
                // A reply to a double opt-in's request that is not YES answers no campaign.
                if (campaign != null && !dev.tandem.campaign.Campaign.SMS_OPT_IN.equals(campaign)) {
                    work = List.of(new TriggerWork(TriggerWork.SMS_REPLY, campaign, "reply-" + eventId, in.at(),
                            Map.of("triggerEvent", eventId)));
                }
            }
        }
        TimelineEvent event = new TimelineEvent(eventId, c.id(), type, in.at(),
                keyword == Keyword.NONE ? campaign : null, null, null, data);
        Recorded r = store.record(new Engagement(event, change, work, null, true, true));
        if (r == Recorded.NO_CONTACT) {
            keep(new Unmatched(unmatched, "sms", in.at(), "the contact is gone", "inbound", in.inboundMessageId(), null, in.from(), c.id()));
            return Outcome.UNMATCHED;
        }
        if (r == Recorded.DUPLICATE) {
            return Outcome.DUPLICATE;
        }
        if (reply != null && sms != null) {
            autoReply(c.id(), in, reply, replyStep);
        }
        return Outcome.ADDED;
    }

    private static Map<String, String> keywordEvidence(SmsInbound in) {
        return Consent.evidence("keyword", in.body().strip().toUpperCase(java.util.Locale.ROOT), "reply", in.body(),
                "messageId", in.inboundMessageId());
    }

    /**
     * The consent a START, UNSTOP or YES gives: a double opt-in when the number was pending, with what the request
     * said (its time, source and evidence) and the confirmation SMS it answers; else the keyword's own.
     */
    private static Consent optIn(Contact c, dev.tandem.timeline.Timeline timeline, SmsInbound in) {
        Consent current = c.consent().get(Channel.SMS);
        if (current == null || !current.pending()) {
            return new Consent(ConsentStatus.SUBSCRIBED, Consent.KEYWORD, in.at(), keywordEvidence(in));
        }
        Map<String, String> evidence = new LinkedHashMap<>(current.evidence());
        evidence.put("requestedAt", current.at().toString());
        evidence.put("requestSource", current.source());
        evidence.putAll(keywordEvidence(in));
        timeline.newest(e -> e.is(EventType.SMS_SENT) && dev.tandem.campaign.Steps.SMS_OPT_IN.equals(e.step()) && e.messageId() != null)
                .ifPresent(e -> evidence.put("confirmationMessageId", e.messageId()));
        return new Consent(ConsentStatus.SUBSCRIBED, Consent.DOUBLE_OPT_IN, in.at(), evidence);
    }

    /**
     * Only the delivery that recorded the keyword answers it, so a redelivered STOP gets no second
     * confirmation. A reply the provider refuses is recorded as failed, not retried: at most once.
     */
    private void autoReply(String contactId, SmsInbound in, String text, String step) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", text);
        String eventId = "sms-auto-" + in.inboundMessageId();
        try {
            String messageId = sms.send(new SmsSender.Sms(in.from(), text, true));
            store.record(new Engagement(new TimelineEvent(eventId, contactId, EventType.SMS_SENT.wire(), in.at(),
                    null, step, messageId, data), null, List.of(),
                    new SentMessage(messageId, contactId, Channel.SMS, null, step), false, true));
        } catch (dev.tandem.port.ProviderOutcomeUnknownException e) {
            // It may have gone: recorded as sent, outcome unknown, and not sent again when the notification comes back.
            data.put("outcome", "unknown");
            store.record(Engagement.of(new TimelineEvent(eventId, contactId, EventType.SMS_SENT.wire(), in.at(),
                    null, step, null, data)));
        } catch (ProviderThrottledException | ProviderRejectedException | dev.tandem.port.ProviderUnavailableException e) {
            // The inbound message is already recorded, so a retry of the notification would be a duplicate that answers
            // nothing: the reply that did not go is recorded as failed, with its reason, rather than lost in silence.
            data.put("reason", "not sent: " + e.getMessage());
            store.record(Engagement.of(new TimelineEvent(eventId, contactId, EventType.SMS_FAILED.wire(), in.at(),
                    null, step, null, data)));
        }
    }

    // --- SMS delivery status -------------------------------------------------------------------

    public Outcome smsStatus(SmsStatus s) {
        if (s.outcome() == SmsStatus.Outcome.IN_FLIGHT) {
            return Outcome.IGNORED;
        }
        String unmatched = EventIds.of("unmatched", "sms-status", s.messageId(), s.status());
        Optional<SentMessage> sent = store.sentMessage(s.messageId());
        if (sent.isEmpty()) {
            keep(new Unmatched(unmatched, "sms", s.at(), "no SMS Tandem sent has this message id", s.status(), s.messageId(),
                    null, null, null));
            return Outcome.UNMATCHED;
        }
        SentMessage m = sent.get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", s.status());
        if (s.description() != null) {
            data.put("description", s.description());
        }
        String type = s.outcome() == SmsStatus.Outcome.DELIVERED ? EventType.SMS_DELIVERED.wire() : EventType.SMS_FAILED.wire();
        // One message's final delivery counts once: TEXT_SUCCESSFUL (the carrier took it) and then TEXT_DELIVERED (the
        // handset did) are one delivery, the first to arrive recorded.
        TimelineEvent event = new TimelineEvent(EventIds.of("sms-status", s.messageId(), s.outcome().name()),
                m.contactId(), type, s.at(), m.campaign(), m.step(), s.messageId(), data);
        Recorded r = store.record(Engagement.of(event));
        if (r == Recorded.NO_CONTACT) {
            keep(new Unmatched(unmatched, "sms", s.at(), "the contact this SMS went to is gone", s.status(), s.messageId(),
                    null, null, m.contactId()));
            return Outcome.UNMATCHED;
        }
        return r == Recorded.ADDED ? Outcome.ADDED : Outcome.DUPLICATE;
    }

    private void keep(Unmatched u) {
        store.keepUnmatched(u);
    }

    /** A notification for a contact that a tag or a message id named, and that is gone (erased). */
    private static Unmatched gone(String eventId, EmailNotification n, Target t) {
        return new Unmatched(EventIds.of("unmatched", "ses", eventId), "ses", n.at(), "the contact its " + t.by + " names is gone",
                n.kind().wire(), n.messageId(), null, null, t.contactId);
    }
}
