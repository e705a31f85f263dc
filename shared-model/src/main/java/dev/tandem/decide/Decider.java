package dev.tandem.decide;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.Playbook;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Contact;
import dev.tandem.contact.Reachability;
import dev.tandem.decide.Plan.Continue;
import dev.tandem.decide.Plan.Drop;
import dev.tandem.decide.Plan.Finish;
import dev.tandem.decide.Plan.Wait;
import dev.tandem.render.MessageContext;
import dev.tandem.render.Renderer;
import dev.tandem.render.SmsBudget;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine. From a contact, its timeline, a campaign, the run and the contact policy at {@code now}, it
 * decides what to send, on which channel, when, and why. It is pure: time is passed in, and it reads and
 * writes nothing; what it decides is carried out by the sweep.
 */
public final class Decider {
    public static final Duration HABIT_WINDOW = Duration.ofDays(90);
    static final String DONE = "done";
    static final String EXITED = "exited";

    private final ContactPolicy policy;
    private final Budget budget;

    public Decider(ContactPolicy policy) {
        this.policy = policy;
        this.budget = new Budget(policy);
    }

    public ContactPolicy policy() {
        return policy;
    }

    /** Everything one decision reads. */
    public record Input(Contact contact, Timeline timeline, Campaign campaign, Run run,
                        Function<String, Renderer.Compiled> templates, Links links) {
    }

    /** The first step of a playbook, where a launch starts a run. */
    public static String firstStep(Campaign campaign) {
        return switch (campaign.playbook()) {
            case EMAIL_FIRST -> Steps.EMAIL;
            case SMS_FIRST -> Steps.SMS;
            case BEST_CHANNEL -> Steps.MESSAGE;
        };
    }

    /** The first step of the playbook a contact gets: its variant's, in a campaign with an experiment. */
    public static String firstStep(Campaign campaign, String contactId) {
        String group = campaign.groupOf(contactId);
        return firstStep(group == null ? campaign : campaign.forVariant(group));
    }

    public Plan decide(Input in, Instant now) {
        String group = in.campaign().groupOf(in.run().contactId());
        if (group == null) {
            return decideFor(in, now);
        }
        if (dev.tandem.experiment.Experiment.HOLDOUT.equals(group)) {
            // Enrolled, counted, sent nothing: one skip, and the run is over.
            Decision held = Decision.skip(in.run().step(), channelOf(in.campaign(), in.run().step()), Reason.HOLDOUT, null);
            return new Plan(List.of(held), new Finish(dev.tandem.experiment.Experiment.HOLDOUT)).withVariant(group);
        }
        Input variant = new Input(in.contact(), in.timeline(), in.campaign().forVariant(group), in.run(), in.templates(), in.links());
        return decideFor(variant, now).withVariant(group);
    }

    private Plan decideFor(Input in, Instant now) {
        Run run = in.run();
        Campaign campaign = in.campaign();
        // Triggers are armed on their own timing before anything else is asked of them.
        if (run.kind() == Run.Kind.TRIGGER) {
            Optional<Plan> early = trigger(in, now);
            if (early.isPresent()) {
                return early.get();
            }
        }
        Optional<TimelineEvent> exit = exitEvent(campaign, in.timeline(), run.startedAt());
        if (exit.isPresent()) {
            Channel ch = channelOf(campaign, run.step());
            return new Plan(List.of(Decision.skip(run.step(), ch, Reason.forExit(exit.get().type()), null)), new Finish(EXITED));
        }
        List<Decision> before = new ArrayList<>();
        String step = run.step();
        // A step skipped because its channel is closed may hand over to the next one at once (sms-first).
        for (int hop = 0; hop < 3; hop++) {
            StepResult r = step(in, step, now);
            before.addAll(r.decisions);
            if (r.handOver == null) {
                return new Plan(before, r.next);
            }
            step = r.handOver;
        }
        throw new IllegalStateException("a run handed over more than three times: " + run);
    }

    private record StepResult(List<Decision> decisions, Plan.Next next, String handOver) {
        static StepResult of(Decision d, Plan.Next next) {
            return new StepResult(List.of(d), next, null);
        }
    }

    private Optional<Plan> trigger(Input in, Instant now) {
        Campaign c = in.campaign();
        Run run = in.run();
        if (Steps.CLICK_NO_CONVERSION.equals(run.step())) {
            if (c.clickNoConversion() == null) {
                return Optional.of(new Plan(List.of(), new Drop("campaign " + c.id() + " has no clickNoConversion trigger")));
            }
            String email = run.get(Run.EMAIL_MESSAGE_ID);
            boolean nudged = in.timeline().newest(e -> e.is(EventType.SMS_SENT) && Steps.CLICK_NO_CONVERSION.equals(e.step())
                    && email != null && email.equals(e.data().get("forMessage"))).isPresent();
            if (nudged) {
                return Optional.of(new Plan(List.of(), new Drop("this email's click already got its SMS")));
            }
            Instant at = run.startedAt().plus(c.clickNoConversion().after());
            if (!run.armed() && at.isAfter(now)) {
                return Optional.of(new Plan(List.of(), new Wait(at, true)));
            }
        } else if (Steps.SMS_REPLY.equals(run.step()) && c.smsReply() == null) {
            return Optional.of(new Plan(List.of(), new Drop("campaign " + c.id() + " has no smsReply trigger")));
        }
        return Optional.empty();
    }

    private StepResult step(Input in, String step, Instant now) {
        Campaign c = in.campaign();
        return switch (step) {
            case Steps.EMAIL -> c.playbook() == Playbook.SMS_FIRST ? smsFirstDetail(in, now) : emailFirstEmail(in, now);
            case Steps.SMS -> c.playbook() == Playbook.SMS_FIRST ? smsFirstAlert(in, now) : emailFirstFollowUp(in, now);
            case Steps.MESSAGE -> bestChannel(in, now);
            case Steps.CLICK_NO_CONVERSION -> clickNudge(in, now);
            case Steps.SMS_REPLY -> replyAnswer(in, now);
            case Steps.SMS_OPT_IN -> optInRequest(in);
            default -> throw new IllegalStateException("unknown step " + step);
        };
    }

    // --- email-first ---------------------------------------------------------------------------

    private StepResult emailFirstEmail(Input in, Instant now) {
        Optional<StepResult> stopped = stopped(in, Steps.EMAIL, Channel.EMAIL, now);
        if (stopped.isPresent()) {
            return stopped.get();
        }
        Email e = email(in, in.campaign().emailTemplate(), null);
        return StepResult.of(Decision.send(Steps.EMAIL, Channel.EMAIL, in.campaign().emailTemplate(), e.content, null),
                new Continue(Steps.SMS, now.plus(in.campaign().followUpAfter()), e.data));
    }

    private StepResult emailFirstFollowUp(Input in, Instant now) {
        String messageId = in.run().get(Run.EMAIL_MESSAGE_ID);
        if (messageId != null && !in.timeline().humanEngagementWith(messageId).isEmpty()) {
            return StepResult.of(Decision.skip(Steps.SMS, Channel.SMS, Reason.ENGAGED, null), new Finish(DONE));
        }
        Optional<StepResult> stopped = stopped(in, Steps.SMS, Channel.SMS, now);
        if (stopped.isPresent()) {
            return stopped.get();
        }
        String view = in.run().get(Run.VIEW_CODE);
        String link = view == null ? null : in.links().shortLink(in.links().viewUrl(view));
        String text = sms(in, in.campaign().smsTemplate(), in.run().get(Run.EMAIL_SUBJECT), link, null);
        return StepResult.of(Decision.send(Steps.SMS, Channel.SMS, in.campaign().smsTemplate(), new Renderer.Rendered(null, text), null),
                new Finish(DONE));
    }

    // --- sms-first -----------------------------------------------------------------------------

    private StepResult smsFirstAlert(Input in, Instant now) {
        Optional<Reason> closed = closed(in.contact(), Channel.SMS);
        if (closed.isPresent()) {
            // A contact that can't get SMS gets the email at launch instead.
            return new StepResult(List.of(Decision.skip(Steps.SMS, Channel.SMS, closed.get(), null)), null, Steps.EMAIL);
        }
        Optional<Budget.Block> block = budget(in, Channel.SMS, now);
        if (block.isPresent()) {
            return deferred(Steps.SMS, Channel.SMS, block.get(), null);
        }
        String link = in.campaign().link() == null ? null : in.links().shortLink(in.campaign().link());
        String text = sms(in, in.campaign().smsTemplate(), null, link, null);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Run.SMS_SENT_AT, now.toString());
        return StepResult.of(Decision.send(Steps.SMS, Channel.SMS, in.campaign().smsTemplate(), new Renderer.Rendered(null, text), null),
                new Continue(Steps.EMAIL, now.plus(in.campaign().detailAfter()), data));
    }

    private StepResult smsFirstDetail(Input in, Instant now) {
        String smsAt = in.run().get(Run.SMS_SENT_AT);
        if (smsAt != null) {
            Instant since = Instant.parse(smsAt);
            if (in.timeline().firstAtOrAfter(since, Decider::isReply).isPresent()) {
                return StepResult.of(Decision.skip(Steps.EMAIL, Channel.EMAIL, Reason.REPLIED, null), new Finish(DONE));
            }
            if (in.timeline().firstAtOrAfter(since, e -> e.is(EventType.CONVERSION)).isPresent()) {
                return StepResult.of(Decision.skip(Steps.EMAIL, Channel.EMAIL, Reason.CONVERTED, null), new Finish(DONE));
            }
        }
        Optional<StepResult> stopped = stopped(in, Steps.EMAIL, Channel.EMAIL, now);
        if (stopped.isPresent()) {
            return stopped.get();
        }
        Email e = email(in, in.campaign().emailTemplate(), null);
        return StepResult.of(Decision.send(Steps.EMAIL, Channel.EMAIL, in.campaign().emailTemplate(), e.content, null),
                new Finish(DONE));
    }

    // --- best-channel --------------------------------------------------------------------------

    private StepResult bestChannel(Input in, Instant now) {
        Campaign c = in.campaign();
        Optional<Reason> emailClosed = c.emailTemplate() == null ? Optional.of(Reason.UNREACHABLE) : closed(in.contact(), Channel.EMAIL);
        Optional<Reason> smsClosed = c.smsTemplate() == null ? Optional.of(Reason.UNREACHABLE) : closed(in.contact(), Channel.SMS);
        if (emailClosed.isPresent() && smsClosed.isPresent()) {
            Reason why = c.emailTemplate() != null ? emailClosed.get() : smsClosed.get();
            Channel ch = c.emailTemplate() != null ? Channel.EMAIL : Channel.SMS;
            return StepResult.of(Decision.skip(Steps.MESSAGE, ch, why, "consent"), new Finish(DONE));
        }
        Channel chosen;
        String rule;
        if (emailClosed.isPresent() || smsClosed.isPresent()) {
            chosen = emailClosed.isPresent() ? Channel.SMS : Channel.EMAIL;
            rule = "consent";
        } else if (c.urgent() && budget(in, Channel.SMS, now).isEmpty()) {
            chosen = Channel.SMS;
            rule = "urgent";
        } else {
            long[] habits = in.timeline().humanEngagements(now.minus(HABIT_WINDOW));
            long email = habits[0];
            long sms = habits[1];
            if (email != sms) {
                chosen = sms > email ? Channel.SMS : Channel.EMAIL;
                rule = "habits";
            } else {
                chosen = Channel.EMAIL;
                rule = "cost";
            }
        }
        Optional<Budget.Block> block = budget(in, chosen, now);
        if (block.isPresent()) {
            return deferred(Steps.MESSAGE, chosen, block.get(), rule);
        }
        if (chosen == Channel.EMAIL) {
            Email e = email(in, c.emailTemplate(), null);
            return StepResult.of(Decision.send(Steps.MESSAGE, Channel.EMAIL, c.emailTemplate(), e.content, rule), new Finish(DONE));
        }
        String link = c.link() == null ? null : in.links().shortLink(c.link());
        String text = sms(in, c.smsTemplate(), lastEmailSubject(in.timeline()), link, null);
        return StepResult.of(Decision.send(Steps.MESSAGE, Channel.SMS, c.smsTemplate(), new Renderer.Rendered(null, text), rule),
                new Finish(DONE));
    }

    // --- triggers ------------------------------------------------------------------------------

    private StepResult clickNudge(Input in, Instant now) {
        Campaign c = in.campaign();
        if (in.timeline().firstAtOrAfter(in.run().startedAt(), e -> e.is(EventType.CONVERSION)).isPresent()) {
            return StepResult.of(Decision.skip(Steps.CLICK_NO_CONVERSION, Channel.SMS, Reason.CONVERTED, null), new Finish(DONE));
        }
        Optional<StepResult> stopped = stopped(in, Steps.CLICK_NO_CONVERSION, Channel.SMS, now);
        if (stopped.isPresent()) {
            return stopped.get();
        }
        // The clicked link comes from the provider's event: it becomes a redirect only when it is a web URL.
        String clicked = in.run().get(Run.LINK);
        String target = Links.isWebUrl(clicked) ? clicked : c.link();
        String link = target == null ? null : in.links().shortLink(target);
        String messageId = in.run().get(Run.EMAIL_MESSAGE_ID);
        String subject = messageId == null ? null
                : in.timeline().sent(messageId).map(e -> (String) e.data().get("subject")).orElse(null);
        String template = c.clickNoConversion().smsTemplate();
        String text = sms(in, template, subject, link, null);
        return StepResult.of(Decision.send(Steps.CLICK_NO_CONVERSION, Channel.SMS, template, new Renderer.Rendered(null, text), null),
                new Finish(DONE));
    }

    private StepResult replyAnswer(Input in, Instant now) {
        Campaign c = in.campaign();
        Optional<StepResult> stopped = stopped(in, Steps.SMS_REPLY, Channel.EMAIL, now);
        if (stopped.isPresent()) {
            return stopped.get();
        }
        String trigger = in.run().get(Run.TRIGGER_EVENT);
        String replyText = trigger == null ? null
                : in.timeline().byId(trigger).map(e -> (String) e.data().get("text")).orElse(null);
        String template = c.smsReply().emailTemplate();
        Email e = email(in, template, replyText);
        return StepResult.of(Decision.send(Steps.SMS_REPLY, Channel.EMAIL, template, e.content, null), new Finish(DONE));
    }

    // --- SMS double opt-in --------------------------------------------------------------------

    /**
     * The one confirmation SMS of a double opt-in, sent at once (it answers the contact's own request, so no quiet hours
     * or caps): only while the request that made the run is the number's current, pending consent.
     */
    private StepResult optInRequest(Input in) {
        Contact contact = in.contact();
        if (contact.address(Channel.SMS).isEmpty()) {
            return StepResult.of(Decision.skip(Steps.SMS_OPT_IN, Channel.SMS, Reason.UNREACHABLE, null), new Finish(DONE));
        }
        if (contact.stateOf(Channel.SMS).status() == Reachability.OPTED_OUT) {
            return StepResult.of(Decision.skip(Steps.SMS_OPT_IN, Channel.SMS, Reason.OPTED_OUT, null), new Finish(DONE));
        }
        Optional<dev.tandem.contact.Consent> consent = contact.consentFor(Channel.SMS);
        String requestedAt = in.run().get(Run.REQUESTED_AT);
        if (consent.isPresent() && consent.get().subscribed()) {
            return new StepResult(List.of(), new Drop("the number is subscribed already"), null);
        }
        if (consent.isEmpty() || !consent.get().pending()) {
            return StepResult.of(Decision.skip(Steps.SMS_OPT_IN, Channel.SMS, Reason.NO_CONSENT, null), new Finish(DONE));
        }
        if (requestedAt != null && !requestedAt.equals(consent.get().at().toString())) {
            return new StepResult(List.of(), new Drop("a newer opt-in request has its own confirmation"), null);
        }
        Instant asked = consent.get().at();
        if (in.timeline().newest(e -> e.is(EventType.SMS_SENT) && Steps.SMS_OPT_IN.equals(e.step()) && !e.at().isBefore(asked)).isPresent()) {
            // The same request saved again after a change and back: it was asked once already.
            return new StepResult(List.of(), new Drop("this request was confirmed for already"), null);
        }
        if (in.campaign().smsTemplate() == null) {
            // The policy lost its smsOptInTemplate after the request was made.
            return StepResult.of(Decision.skip(Steps.SMS_OPT_IN, Channel.SMS, Reason.INVALID_DEFINITION, null), new Finish(DONE));
        }
        String text = sms(in, in.campaign().smsTemplate(), null, null, null);
        return StepResult.of(Decision.send(Steps.SMS_OPT_IN, Channel.SMS, in.campaign().smsTemplate(),
                new Renderer.Rendered(null, text), null), new Finish(DONE));
    }

    // --- shared rules --------------------------------------------------------------------------

    /** Consent and reachability: why a channel is closed to a contact, if it is. */
    public static Optional<Reason> closed(Contact contact, Channel channel) {
        if (contact.address(channel).isEmpty()) {
            return Optional.of(Reason.UNREACHABLE);
        }
        ChannelState state = contact.stateOf(channel);
        if (state.status() == Reachability.OPTED_OUT) {
            return Optional.of(Reason.OPTED_OUT);
        }
        if (state.status() == Reachability.SUPPRESSED) {
            return Optional.of(Reason.SUPPRESSED);
        }
        if (contact.consentFor(channel).map(k -> k.pending()).orElse(false)) {
            return Optional.of(Reason.PENDING_CONSENT);
        }
        if (contact.consentFor(channel).map(k -> !k.subscribed()).orElse(true)) {
            return Optional.of(Reason.NO_CONSENT);
        }
        return Optional.empty();
    }

    /** Consent and reachability, then the budget: the skip or the deferral that stops a step, if one does. */
    private Optional<StepResult> stopped(Input in, String step, Channel channel, Instant now) {
        Optional<Reason> closed = closed(in.contact(), channel);
        if (closed.isPresent()) {
            return Optional.of(StepResult.of(Decision.skip(step, channel, closed.get(), null), new Finish(DONE)));
        }
        Optional<Budget.Block> block = budget(in, channel, now);
        return block.map(b -> deferred(step, channel, b, null));
    }

    /**
     * The frequency budget (quiet hours, caps, the minimum gap) of a promotional message. A transactional campaign's
     * messages (an order update, a security notice, an opt-in confirmation) are outside it.
     */
    private Optional<Budget.Block> budget(Input in, Channel channel, Instant now) {
        if (in.campaign().transactional()) {
            return Optional.empty();
        }
        return budget.check(in.contact(), channel, in.timeline(), in.campaign().id(), now);
    }

    private static StepResult deferred(String step, Channel channel, Budget.Block block, String rule) {
        return StepResult.of(Decision.defer(step, channel, block.until(), block.reason(), block.reasons(), rule),
                new Wait(block.until(), true));
    }

    static Optional<TimelineEvent> exitEvent(Campaign campaign, Timeline timeline, Instant since) {
        return timeline.firstAtOrAfter(since, e -> campaign.exitOn().contains(e.type())
                && !((e.is(EventType.EMAIL_OPEN) || e.is(EventType.SMS_CLICK)) && e.machine())
                && !(e.is(EventType.SMS_REPLY) && e.data().get("keyword") != null));
    }

    /** A reply a person wrote: keywords (STOP, HELP...) are not replies. */
    static boolean isReply(TimelineEvent e) {
        return e.is(EventType.SMS_REPLY) && e.data().get("keyword") == null;
    }

    /** A step's channel; a best-channel message not yet decided is named by its email, else its SMS. */
    private static Channel channelOf(Campaign c, String step) {
        if (Steps.MESSAGE.equals(step)) {
            return c.emailTemplate() != null ? Channel.EMAIL : Channel.SMS;
        }
        return Steps.channelOf(step);
    }

    private static String lastEmailSubject(Timeline t) {
        return t.lastEmail().map(e -> (String) e.data().get("subject")).orElse(null);
    }

    private record Email(Renderer.Rendered content, Map<String, String> data) {
    }

    private Email email(Input in, String templateId, String replyText) {
        Renderer.Compiled t = in.templates().apply(templateId).in(in.contact().locale());
        String link = in.campaign().link();
        Map<String, Object> ctx = MessageContext.of(in.contact(), in.campaign(), lastEmailSubject(in.timeline()),
                in.timeline().lastSms().map(e -> (String) e.data().get("text")).orElse(null), link, replyText);
        Renderer.Rendered content = t.render(ctx);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Run.EMAIL_SUBJECT, content.subject());
        return new Email(content, data);
    }

    private String sms(Input in, String templateId, String lastEmailSubject, String link, String replyText) {
        Renderer.Compiled t = in.templates().apply(templateId).in(in.contact().locale());
        Map<String, Object> ctx = MessageContext.of(in.contact(), in.campaign(), lastEmailSubject,
                in.timeline().lastSms().map(e -> (String) e.data().get("text")).orElse(null), link, replyText);
        return SmsBudget.render(t, ctx, policy.maxSmsSegments());
    }
}
