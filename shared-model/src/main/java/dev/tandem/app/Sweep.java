package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decider;
import dev.tandem.decide.Decision;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Reason;
import dev.tandem.decide.Run;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.ingest.EmailNotification;
import dev.tandem.ingest.EventIds;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.EmailSender;
import dev.tandem.port.ItemTooLargeException;
import dev.tandem.port.Pacer;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import dev.tandem.port.SmsSender;
import dev.tandem.port.StoreUnavailableException;
import dev.tandem.render.Renderer;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.InvalidInputException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One run of the decider, as EventBridge Scheduler invokes it: it pages through what is due, shard by
 * shard, with bounded memory; decides each run with the {@link Decider}; claims a send before calling the
 * provider; records the result. It stops cleanly when time runs short and leaves the rest for the next run.
 *
 * <p>One bad run never stops the sweep. A run that fails for a reason of its own (a template that throws, a message
 * too large to keep, a definition or profile the engine cannot read) is settled {@code skipped} with reason
 * {@code invalid-definition} and counted; a provider's refusal of one recipient finishes that run with
 * {@code provider-rejected}; a provider's refusal of a whole channel pauses the channel for the rest of the sweep
 * and leaves its runs due; the store not answering leaves that run for the next sweep. Only a failure of the whole
 * (the store not answering for several runs in a row) ends the sweep.
 */
public final class Sweep {
    /** Runs in a row that fail on the store before the sweep takes the store for down and stops. */
    static final int STORE_FAILURES_IN_A_ROW = 5;

    private final DecisionStore store;
    private final EmailSender email;
    private final SmsSender sms;
    private final Pacer pacer;
    private final Supplier<String> codes;
    private final Supplier<String> tokens;
    private final Settings settings;

    /**
     * @param publicBaseUrl  where /l, /v and /u are served
     * @param claimLease     how old a claim must be before it counts as a crashed send
     * @param throttleRetries how many more times a throttled send is tried, with backoff, before it is released
     * @param echoLimit      how many decision lines a result keeps (the rest are only counted)
     */
    public record Settings(String publicBaseUrl, Duration claimLease, int timelineEvents, int pageSize,
                           int throttleRetries, int echoLimit) {
    }

    /**
     * What a sweep did: decision lines (up to the echo limit), counts by outcome, and whether it finished.
     * {@code failed} counts runs settled because they could not be carried out (runs left for later because the
     * store did not answer are counted in {@code errors}, not here); {@code paused} names the channels a provider
     * refused as a whole. Both are what an operator is alarmed on.
     */
    public record Result(List<DecisionLine> lines, Map<String, Integer> counts, boolean finished, Set<Channel> paused) {
        public int failed() {
            return counts.getOrDefault(INVALID, 0) + counts.getOrDefault(REJECTED, 0);
        }
    }

    static final String INVALID = "invalid-definition";
    static final String REJECTED = "provider-rejected";
    static final String ERRORS = "errors";

    public Sweep(DecisionStore store, EmailSender email, SmsSender sms, Pacer pacer, Supplier<String> codes,
                 Supplier<String> tokens, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.email = Objects.requireNonNull(email, "email");
        this.sms = Objects.requireNonNull(sms, "sms");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** State of one invocation: definitions read once, what it decided, the channels it paused. */
    private final class Pass {
        final Instant now;
        private ContactPolicy policy;
        private Decider decider;
        final Map<String, Optional<Campaign>> campaigns = new HashMap<>();
        final Map<String, Optional<MessageTemplate>> definitions = new HashMap<>();
        final Map<String, Renderer.Compiled> templates = new HashMap<>();
        final List<DecisionLine> lines = new ArrayList<>();
        final Map<String, Integer> counts = new TreeMap<>();
        final Set<Channel> paused = EnumSet.noneOf(Channel.class);
        int storeFailuresInARow;

        Pass(Instant now) {
            this.now = now;
        }

        /** The policy and the decider, read once a pass has something to decide: an empty sweep reads neither. */
        Decider decider() {
            if (decider == null) {
                policy = store.policy();
                decider = new Decider(policy);
            }
            return decider;
        }

        Optional<Campaign> campaign(String id) {
            return campaigns.computeIfAbsent(id, store::campaign);
        }

        /** A template as stored, read and compiled once a pass; one that is gone or cannot compile fails its message. */
        Renderer.Compiled template(String id) {
            Renderer.Compiled t = templates.get(id);
            if (t == null) {
                MessageTemplate def = definitions.computeIfAbsent(id, store::template)
                        .orElseThrow(() -> new InvalidInputException("template", "template " + id + " is gone"));
                t = Renderer.compile(def);
                templates.put(id, t);
            }
            return t;
        }

        void count(String what) {
            counts.merge(what, 1, Integer::sum);
        }

        void emit(List<DecisionLine> ls) {
            for (DecisionLine l : ls) {
                count(l.action());
                if (lines.size() < settings.echoLimit()) {
                    lines.add(l);
                }
            }
        }

        Result result(boolean finished) {
            return new Result(List.copyOf(lines), Map.copyOf(counts), finished, Set.copyOf(paused));
        }
    }

    /** Decides everything due by {@code now}, for as long as {@code timeLeft} says. */
    public Result run(Instant now, BooleanSupplier timeLeft) {
        Pass pass = new Pass(now);
        return pass.result(sweep(pass, timeLeft));
    }

    /** Works one launch, as its one-time schedule asks, then whatever else is due. */
    public Result launch(String campaign, String launchId, Instant now, BooleanSupplier timeLeft) {
        Pass pass = new Pass(now);
        Optional<Launch> l = store.launch(campaign, launchId);
        if (l.isPresent() && !launch(pass, l.get(), timeLeft)) {
            return pass.result(false);
        }
        return pass.result(sweep(pass, timeLeft));
    }

    /** Pages through every shard's due work; false when time ran short first. */
    private boolean sweep(Pass pass, BooleanSupplier timeLeft) {
        int shards = store.shards();
        // Start each run on a different shard, so that a run cut short does not always starve the same ones.
        int first = (int) Math.floorMod(pass.now.getEpochSecond() / 60, (long) shards);
        for (int i = 0; i < shards; i++) {
            int shard = (first + i) % shards;
            String cursor = null;
            do {
                DecisionStore.DuePage page = store.due(shard, pass.now, cursor, settings.pageSize());
                for (Object item : page.items()) {
                    if (!timeLeft.getAsBoolean()) {
                        return false;
                    }
                    if (item instanceof Launch l) {
                        if (!launch(pass, l, timeLeft)) {
                            return false;
                        }
                    } else {
                        safely(pass, (Run) item, () -> decide(pass, (Run) item));
                    }
                }
                cursor = page.next();
            } while (cursor != null);
        }
        return true;
    }

    /**
     * Enrols a launch's audience page by page; each contact's first step is decided at once. A page with a contact
     * that failed on the store is not passed: the next sweep enrols it again (enrolling is idempotent).
     */
    private boolean launch(Pass pass, Launch launch, BooleanSupplier timeLeft) {
        Optional<Campaign> campaign = pass.campaign(launch.campaign());
        if (campaign.isEmpty()) {
            store.advance(launch, null);
            pass.count("launch-without-campaign");
            return true;
        }
        String first = Decider.firstStep(campaign.get());
        Launch current = launch;
        while (true) {
            DecisionStore.AudiencePage page = store.audience(current, settings.pageSize());
            int errors = pass.counts.getOrDefault(ERRORS, 0);
            for (String contactId : page.contactIds()) {
                if (!timeLeft.getAsBoolean()) {
                    return false;
                }
                Run run = Run.launched(contactId, current.campaign(), current.launchId(), first, current.at());
                Launch l = current;
                safely(pass, run, () -> enrol(pass, l, contactId, first));
            }
            if (pass.counts.getOrDefault(ERRORS, 0) > errors) {
                pass.count("launch-page-retried");
                return true;
            }
            if (!store.advance(current, page.next())) {
                pass.count("launch-contended");
                return true;
            }
            if (page.next() == null) {
                pass.count("launch-done");
                return true;
            }
            current = new Launch(current.campaign(), current.launchId(), current.at(), current.localAt(), current.zone(),
                    current.audience(), page.next(), current.version() + 1);
        }
    }

    /**
     * Carries out one run, so that whatever goes wrong with it stays with it. The store not answering leaves the run as
     * it is for the next sweep and is counted, until {@value #STORE_FAILURES_IN_A_ROW} in a row say the store itself is
     * down and end the sweep. Anything else that fails this run (a template that cannot render, a message too large to
     * keep, a definition the engine cannot carry out) settles it {@code invalid-definition}, with the cause.
     */
    private void safely(Pass pass, Run run, Runnable work) {
        try {
            work.run();
            pass.storeFailuresInARow = 0;
        } catch (StoreUnavailableException e) {
            pass.count(ERRORS);
            if (++pass.storeFailuresInARow >= STORE_FAILURES_IN_A_ROW) {
                throw e;
            }
        } catch (InvalidInputException | ItemTooLargeException e) {
            pass.storeFailuresInARow = 0;
            settleFailed(pass, run, e.getMessage());
        } catch (RuntimeException e) {
            pass.storeFailuresInARow = 0;
            settleFailed(pass, run, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Settles a run that cannot be carried out: skipped, {@code invalid-definition}, with the cause in its history. */
    private void settleFailed(Pass pass, Run run, String why) {
        Channel ch = channelOf(run.claim() != null ? run.claim().step() : run.step());
        Decision skipped = Decision.skip(run.step(), ch, Reason.INVALID_DEFINITION, null);
        DecisionLine line = DecisionLine.of(pass.now, run, skipped);
        List<String> counters = List.of(CampaignStats.decision(ch.wire(), skipped.action().wire(), Reason.INVALID_DEFINITION.wire()));
        Plan.Finish failed = new Plan.Finish("failed: " + (why == null ? "unknown" : why.length() > 300 ? why.substring(0, 300) : why));
        boolean settled;
        try {
            settled = store.settle(run, failed, List.of(line), counters);
        } catch (ItemTooLargeException e) {
            // The run's own item is what is too large: settle it without adding to its history.
            settled = store.settle(run, failed, List.of(), counters);
        }
        if (settled) {
            pass.emit(List.of(line));
            pass.count(INVALID);
        } else {
            pass.count("contended");
        }
    }

    private void enrol(Pass pass, Launch launch, String contactId, String firstStep) {
        Instant due = launch.at();
        if (launch.localAt() != null) {
            Optional<DecisionStore.SendView> v = store.view(contactId, pass.now, 0);
            if (v.isEmpty()) {
                pass.count("missing-contact");
                return;
            }
            due = launch.dueFor(v.get().view().contact().zone());
        }
        Run run = Run.launched(contactId, launch.campaign(), launch.launchId(), firstStep, due);
        if (due.isAfter(pass.now)) {
            if (store.schedule(run)) {
                pass.count("scheduled");
            }
            return;
        }
        decide(pass, run);
    }

    /** Decides one run and carries the decision out. */
    private void decide(Pass pass, Run run) {
        Instant now = pass.now;
        if (run.claim() != null) {
            if (run.claim().at().plus(settings.claimLease()).isBefore(now)) {
                recoverOrMarkUnknown(pass, run);
            } else {
                pass.count("in-flight");
            }
            return;
        }
        Optional<Campaign> campaign = pass.campaign(run.campaign());
        if (campaign.isEmpty()) {
            store.settle(run, new Plan.Drop("campaign " + run.campaign() + " is gone"), List.of(), List.of());
            pass.count("dropped");
            return;
        }
        Optional<DecisionStore.SendView> view = store.view(run.contactId(), now.minus(Decider.HABIT_WINDOW), settings.timelineEvents());
        if (view.isEmpty()) {
            store.settle(run, new Plan.Drop("contact " + run.contactId() + " is gone"), List.of(), List.of());
            pass.count("missing-contact");
            return;
        }
        Contact contact = view.get().view().contact();
        LinkMaker links = new LinkMaker(settings.publicBaseUrl(), contact.id(), run.campaign(), run.step(), codes);
        Plan plan = pass.decider().decide(new Decider.Input(contact, view.get().view().timeline(), campaign.get(), run,
                pass::template, links), now);
        List<DecisionLine> lines = new ArrayList<>();
        for (Decision d : plan.decisions()) {
            lines.add(DecisionLine.of(now, run, d));
        }
        Decision send = plan.send();
        if (send == null) {
            List<String> counters = new ArrayList<>();
            for (Decision d : plan.decisions()) {
                counters.add(CampaignStats.decision(d.channel() == null ? null : d.channel().wire(), d.action().wire(), d.reason().wire()));
            }
            if (plan.next() instanceof Plan.Drop) {
                store.settle(run, plan.next(), lines, counters);
                pass.count("dropped");
                return;
            }
            if (plan.decisions().isEmpty() && plan.next() instanceof Plan.Wait) {
                if (store.settle(run, plan.next(), lines, counters)) {
                    pass.count("armed");
                }
                return;
            }
            if (store.settle(run, plan.next(), lines, counters)) {
                pass.emit(lines);
            } else {
                pass.count("contended");
            }
            return;
        }
        send(pass, run, campaign.get(), contact, view.get().sendSequence(), plan, send, links, lines);
    }

    /**
     * A claim past its lease. When the message's {@code *.sent} event is on the timeline (its record was kept alone
     * after the run's own write failed), the message went: the run moves on as the claim said. Otherwise the send
     * crashed somewhere between claim and record: it is never resent, only marked unknown.
     */
    private void recoverOrMarkUnknown(Pass pass, Run run) {
        Run.Claim claim = run.claim();
        Channel ch = channelOf(claim.step());
        Optional<TimelineEvent> sent = claim.next() == null ? Optional.empty() : store.sentEvent(run);
        if (sent.isPresent()) {
            TimelineEvent e = sent.get();
            Plan.Next next = afterSend(claim.next(), e.channel().orElse(ch), e.messageId());
            SentMessage lookup = e.messageId() == null ? null : new SentMessage(e.messageId(), run.contactId(), e.channel().orElse(ch),
                    run.campaign(), claim.step());
            store.recordSend(run, claim, e, lookup, next, List.of(), List.of(counterOfSent(e)));
            pass.count("recovered");
            return;
        }
        if (store.markUnknown(run, List.of(ch.wire() + ".unknown"))) {
            pass.count("unknown");
        }
    }

    private static String counterOfSent(TimelineEvent sent) {
        String ch = sent.channel().map(Channel::wire).orElse("email");
        return "unknown".equals(sent.data().get("outcome")) ? ch + ".unknown" : CampaignStats.counterOf(sent).orElse(ch + ".sent");
    }

    /** Where the run goes once its message is out: an email's message id rides along to the next step. */
    private static Plan.Next afterSend(Plan.Next next, Channel channel, String messageId) {
        if (next instanceof Plan.Continue c && channel == Channel.EMAIL && messageId != null) {
            Map<String, String> more = new LinkedHashMap<>(c.data());
            more.put(Run.EMAIL_MESSAGE_ID, messageId);
            return new Plan.Continue(c.step(), c.dueAt(), more);
        }
        return next;
    }

    private void send(Pass pass, Run run, Campaign campaign, Contact contact, long sequence, Plan plan, Decision send,
                      LinkMaker links, List<DecisionLine> lines) {
        Instant now = pass.now;
        if (pass.paused.contains(send.channel())) {
            // The provider refused the whole channel earlier in this sweep: the run stays due for the next one (a run
            // a launch is enrolling now is stored first, so that the launch can move past it).
            if (run.isNew()) {
                store.schedule(run);
            }
            pass.count("paused");
            return;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        String viewCode = null;
        Plan.Next next = plan.next();
        if (send.channel() == Channel.EMAIL) {
            // The web version is kept for an email an SMS will link to (email-first's follow-up): storing every
            // email's HTML would cost more than the rest of the send.
            if (next instanceof Plan.Continue c && Steps.SMS.equals(c.step())) {
                viewCode = links.newViewCode();
                links.view(viewCode, send.content().subject(), send.content().body());
                Map<String, String> more = new LinkedHashMap<>(c.data());
                more.put(Run.VIEW_CODE, viewCode);
                next = new Plan.Continue(c.step(), c.dueAt(), more);
            }
            if (!campaign.transactional()) {
                String unsubscribe = links.unsubscribeUrl(links.newUnsubscribeCode());
                headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
                headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
            tags.put(EmailNotification.TAG_CONTACT, contact.id());
            tags.put(EmailNotification.TAG_CAMPAIGN, campaign.id());
            tags.put(EmailNotification.TAG_STEP, send.step());
        }
        Run.Claim claim = new Run.Claim(tokens.get(), now, send.step(), next);
        if (!store.claim(run, claim, sequence, links.items())) {
            pass.count("contended");
            return;
        }
        String messageId;
        boolean unknown = false;
        try {
            messageId = provider(send, contact, campaign, headers, tags);
        } catch (ProviderThrottledException e) {
            store.release(run, claim, now.plus(Duration.ofMinutes(1)));
            pass.count("throttled");
            return;
        } catch (ProviderUnavailableException e) {
            // Nothing is wrong with this message: the account refuses the whole channel. Give the send back and stop
            // using the channel for this sweep; the next sweep tries one send again.
            store.release(run, claim, now);
            pass.paused.add(send.channel());
            pass.count("paused-" + send.channel().wire());
            return;
        } catch (ProviderRejectedException e) {
            String type = send.channel() == Channel.EMAIL ? EventType.EMAIL_REJECT.wire() : EventType.SMS_FAILED.wire();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", e.getMessage());
            data.put("template", send.template());
            TimelineEvent failure = new TimelineEvent(EventIds.of("failed", run.contactId(), run.campaign(), run.occurrence(), send.step()),
                    run.contactId(), type, now, run.campaign(), send.step(), null, data);
            Decision skipped = Decision.skip(send.step(), send.channel(), Reason.PROVIDER_REJECTED, send.rule());
            List<DecisionLine> failed = new ArrayList<>(lines.subList(0, lines.size() - 1));
            failed.add(DecisionLine.of(now, run, skipped));
            store.recordFailure(run, claim, failure, new Plan.Finish("failed"), failed,
                    List.of(send.channel().wire() + ".failed", CampaignStats.decision(send.channel().wire(), "skipped", Reason.PROVIDER_REJECTED.wire())));
            pass.emit(failed);
            pass.count(REJECTED);
            return;
        } catch (RuntimeException e) {
            // No answer (the port's ProviderOutcomeUnknownException), or a failure the sender did not classify: the message may have
            // gone, so it is never resent. Recorded as sent, outcome unknown, so caps count it and the run moves on.
            messageId = null;
            unknown = true;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("template", send.template());
        if (unknown) {
            data.put("outcome", "unknown");
        }
        if (send.channel() == Channel.EMAIL) {
            data.put("subject", send.content().subject());
            if (viewCode != null) {
                data.put("viewCode", viewCode);
            }
        } else {
            data.put("text", send.content().body());
            if (run.get(Run.EMAIL_MESSAGE_ID) != null) {
                data.put("forMessage", run.get(Run.EMAIL_MESSAGE_ID));
            }
        }
        if (send.rule() != null) {
            data.put("rule", send.rule());
        }
        TimelineEvent sent = sentEvent(run, send.step(), send.channel(), now, messageId, data);
        List<String> counters = new ArrayList<>();
        counters.add(counterOfSent(sent));
        for (Decision d : plan.decisions()) {
            if (d != send) {
                counters.add(CampaignStats.decision(d.channel().wire(), d.action().wire(), d.reason().wire()));
            }
        }
        SentMessage lookup = messageId == null ? null : new SentMessage(messageId, run.contactId(), send.channel(), run.campaign(), send.step());
        store.recordSend(run, claim, sent, lookup, afterSend(next, send.channel(), messageId), lines, counters);
        pass.emit(lines);
        if (unknown) {
            pass.count("unknown");
        }
    }

    /** The {@code *.sent} event of a run's step: its id is the run's and the step's, so a second write of it is the same item. */
    private static TimelineEvent sentEvent(Run run, String step, Channel channel, Instant at, String messageId, Map<String, Object> data) {
        return new TimelineEvent(EventIds.of("sent", run.contactId(), run.campaign(), run.occurrence(), step),
                run.contactId(), channel == Channel.EMAIL ? EventType.EMAIL_SENT.wire() : EventType.SMS_SENT.wire(),
                at, run.campaign(), step, messageId, data);
    }

    /** The id of the {@code *.sent} event a claimed send records: what a store looks for when the claim's lease is past. */
    public static String sentEventId(Run run) {
        return EventIds.of("sent", run.contactId(), run.campaign(), run.occurrence(), run.claim().step());
    }

    /** Calls the provider, paced, retrying a throttled call with backoff before giving it back. */
    private String provider(Decision send, Contact contact, Campaign campaign, Map<String, String> headers, Map<String, String> tags) {
        for (int attempt = 1; ; attempt++) {
            pacer.acquire(send.channel());
            try {
                if (send.channel() == Channel.EMAIL) {
                    return email.send(new EmailSender.Email(contact.email(), send.content().subject(), send.content().body(),
                            PlainText.of(send.content().body()), headers, tags));
                }
                return sms.send(new SmsSender.Sms(contact.phone(), send.content().body(), campaign.transactional() || campaign.urgent()));
            } catch (ProviderThrottledException e) {
                if (attempt > settings.throttleRetries()) {
                    throw e;
                }
                pacer.backoff(attempt);
            }
        }
    }

    private static Channel channelOf(String step) {
        return Steps.SMS.equals(step) || Steps.CLICK_NO_CONVERSION.equals(step) ? Channel.SMS : Channel.EMAIL;
    }

    // --- preview -------------------------------------------------------------------------------

    /** The decisions a launch would make now for these contacts: nothing sent, nothing written. */
    public List<DecisionLine> preview(Campaign campaign, List<String> contactIds, Instant now) {
        Pass pass = new Pass(now);
        pass.campaigns.put(campaign.id(), Optional.of(campaign));
        List<DecisionLine> out = new ArrayList<>();
        String first = Decider.firstStep(campaign);
        for (String id : contactIds) {
            Optional<DecisionStore.SendView> view = store.view(id, now.minus(Decider.HABIT_WINDOW), settings.timelineEvents());
            if (view.isEmpty()) {
                continue;
            }
            Run run = Run.launched(id, campaign.id(), "preview", first, now);
            LinkMaker links = new LinkMaker(settings.publicBaseUrl(), id, campaign.id(), first, () -> "preview");
            Plan plan = pass.decider().decide(new Decider.Input(view.get().view().contact(), view.get().view().timeline(),
                    campaign, run, pass::template, links), now);
            for (Decision d : plan.decisions()) {
                out.add(DecisionLine.of(now, run, d));
            }
        }
        return out;
    }
}
