package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decider;
import dev.tandem.decide.Decision;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Reason;
import dev.tandem.decide.Run;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.ingest.EventIds;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.EmailSender;
import dev.tandem.port.Pacer;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import dev.tandem.port.SendQueue;
import dev.tandem.port.SmsSender;
import dev.tandem.port.StoreUnavailableException;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What {@code SenderFunction} does with a batch of send jobs: for each, checks the job against its run's claim,
 * decides the run again as of now, begins the send on the contact's guard, calls the provider at this sender's pace,
 * and records what went out.
 *
 * <p>Exactly once: a job whose claim is gone (a duplicate delivery after the record, a claim given back) sends
 * nothing; a job whose send already began (a duplicate delivered while the first still sends, or a sender that
 * stopped) waits for the send lease, then recovers the record from the {@code *.sent} event or marks it unknown,
 * never resends; two sends to one contact never begin together. A job that waited past the moment it may go (quiet
 * hours began, the contact opted out, a cap filled) is decided again here and deferred or skipped with its reasons.
 *
 * <p>A send that cannot go now gives its claim back to the due index, for a sweep to decide it again: a throttled one
 * after a backoff, one whose contact another send is busy with after that send. The sender needs no queue client of
 * its own for it, and a job never waits in the queue holding a claim it cannot use.
 */
public final class Dispatch {
    /** How long a send waits when another send to its contact is under way: it is decided again after it. */
    static final Duration BUSY_DELAY = Duration.ofSeconds(5);
    /** How long a channel the provider refused as a whole rests before its sends are decided again. */
    static final Duration PAUSE = Duration.ofMinutes(1);

    private final DecisionStore store;
    private final EmailSender email;
    private final SmsSender sms;
    private final Pacer pacer;
    private final Settings settings;
    private final ExecutorService pool;
    /** A channel the provider refused as a whole rests until then in this sender: its jobs are given back untried. */
    private final Map<Channel, Instant> restUntil = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param claimLease   the decider's claim lease: a claim older than half of it is read again once its send began,
     *                     in case a sweep gave it back meanwhile
     * @param sendLease    how long a begun send may take before a duplicate of its job takes it for crashed
     * @param backoff      how long a throttled send waits before it is decided again
     * @param parallel     jobs of a batch sent at once
     */
    public record Settings(String publicBaseUrl, Duration claimLease, Duration sendLease, int timelineEvents,
                           Duration backoff, int parallel, int echoLimit) {
    }

    /**
     * What a batch did: decision lines, counts by outcome, the jobs for the queue to deliver again (their store did
     * not answer, or their send began elsewhere and is still within its lease), and the channels a provider refused as
     * a whole.
     */
    public record Result(List<DecisionLine> lines, Map<String, Integer> counts, List<SendQueue.Job> again, Set<Channel> paused) {
        public int runsFailed() {
            return counts.getOrDefault(Runs.INVALID, 0) + counts.getOrDefault(Runs.REJECTED, 0);
        }
    }

    public Dispatch(DecisionStore store, EmailSender email, SmsSender sms, Pacer pacer, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.email = Objects.requireNonNull(email, "email");
        this.sms = Objects.requireNonNull(sms, "sms");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pool = Executors.newFixedThreadPool(Math.max(1, settings.parallel()), Parallel.daemon("sender"));
    }

    /** Sends a batch of jobs as of {@code now}, up to {@code parallel} at once. */
    public Result send(List<SendQueue.Job> jobs, Instant now) {
        return send(jobs, now, () -> true);
    }

    /**
     * The same, starting no job once {@code timeLeft} says no: those go back to the queue untouched, to be delivered
     * again (a batch that waits its turn at a low rate must not outlive its invocation).
     */
    public Result send(List<SendQueue.Job> jobs, Instant now, java.util.function.BooleanSupplier timeLeft) {
        Pass pass = new Pass(now, store, settings.echoLimit());
        pass.timeLeft(timeLeft);
        List<SendQueue.Job> again = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> work = new ArrayList<>();
        for (SendQueue.Job job : jobs) {
            work.add(() -> {
                if (!timeLeft.getAsBoolean()) {
                    pass.count("not-started");
                    again.add(job);
                    return null;
                }
                try {
                    if (!one(pass, job)) {
                        again.add(job);
                    }
                } catch (StoreUnavailableException e) {
                    pass.count(Runs.ERRORS);
                    again.add(job);
                }
                return null;
            });
        }
        try {
            Parallel.all(pool, work);
        } finally {
            pass.flushCounters();
        }
        return new Result(pass.lines(), pass.counts(), List.copyOf(again), pass.pausedChannels());
    }

    /** One job; false when the queue must deliver it again. Store failures go up, for the same. */
    private boolean one(Pass pass, SendQueue.Job job) {
        Optional<Run> stored = store.run(job.contactId(), job.campaign(), job.occurrence());
        if (stored.isEmpty() || stored.get().claim() == null || !stored.get().claim().token().equals(job.token())) {
            // Sent and recorded already (a duplicate delivery), or the claim was given back: nothing to send.
            pass.count("stale");
            return true;
        }
        Run run = stored.get();
        try {
            return claimed(pass, run);
        } catch (StoreUnavailableException e) {
            // Delivered again after the visibility timeout; a send that began is then within or past its lease.
            throw e;
        } catch (RuntimeException e) {
            // This run's own failure (a template that cannot render, a definition the engine cannot carry out): settled
            // with its cause.
            // Nothing after a send begins ends up here (its failures go back to the queue), so no guard is let go.
            boolean own = e instanceof dev.tandem.validation.InvalidInputException || e instanceof dev.tandem.port.ItemTooLargeException;
            Runs.settleFailed(store, pass, run, own ? e.getMessage()
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return true;
        }
    }

    /** Carries out a job whose claim holds; false when its send began elsewhere and is still within its lease. */
    private boolean claimed(Pass pass, Run run) {
        Instant now = pass.now;
        Run.Claim claim = run.claim();
        Optional<Runs.Inputs> in = Runs.inputs(store, pass, run, settings.timelineEvents());
        if (in.isEmpty()) {
            return true;
        }
        Campaign campaign = in.get().campaign();
        DecisionStore.SendView view = in.get().view();
        DecisionStore.Pending pending = view.pending();
        if (pending != null && pending.token().equals(claim.token())) {
            // This send began before: a duplicate of its job delivered while it sends, or a sender that stopped.
            if (pending.at().plus(settings.sendLease()).isAfter(now)) {
                pass.count("in-flight");
                return false;
            }
            Runs.recoverOrMarkUnknown(store, pass, run, pending);
            return true;
        }
        if (view.busy(now, Runs.settledWithin(settings.claimLease(), settings.sendLease()))) {
            release(pass, run, now.plus(BUSY_DELAY), "contact-busy");
            return true;
        }
        Contact contact = view.view().contact();
        LinkMaker links = new LinkMaker(settings.publicBaseUrl(), contact.id(), run.campaign(), claim.step(), LinkMaker.seeded(claim.token()));
        Run unclaimed = run.unclaimed();
        Plan plan = pass.decider().decide(new Decider.Input(contact, view.view().timeline(), campaign, unclaimed,
                pass::template, links), now);
        Decision send = plan.send();
        if (send == null) {
            // Things changed while the job waited (quiet hours began, the contact opted out, a cap filled): what the run
            // does now is written instead, with its reasons.
            Sweep.settle(store, pass, run, plan, now);
            pass.count("rechecked");
            return true;
        }
        if (!send.step().equals(claim.step()) || (claim.channel() != null && send.channel() != claim.channel())) {
            // It would now send something else (the other channel, another step): that is a new claim, the decider's.
            release(pass, run, now, "rechecked");
            return true;
        }
        if (pass.paused(send.channel()) || restUntil.getOrDefault(send.channel(), Instant.MIN).isAfter(now)) {
            release(pass, run, now.plus(PAUSE), "paused");
            return true;
        }
        Outgoing out = Outgoing.of(send, plan, campaign, contact, links);
        Set<String> claimed = LinkMaker.firstCodes(claim.token(), claim.links());
        List<DecisionStore.LinkItem> extra = links.items().stream().filter(l -> !claimed.contains(l.code())).toList();
        if (!extra.isEmpty()) {
            store.links(extra);
        }
        String eventId = Runs.sentEventId(run, send.step());
        // The rate's token first: a send begins only when it can go at once, and a store that does not answer here
        // leaves nothing begun. A batch that waited too long for tokens gives its job back untouched.
        pacer.acquire(send.channel());
        if (!pass.timeLeft()) {
            pass.count("not-started");
            return false;
        }
        DecisionStore.Pending mine = new DecisionStore.Pending(claim.token(), eventId, now, java.util.UUID.randomUUID().toString());
        if (!store.begin(contact.id(), view.sendSequence(), mine)) {
            release(pass, run, now.plus(BUSY_DELAY), "contact-busy");
            return true;
        }
        // The claim may have been given back since it was read (by a twin delivery whose begin failed, by the sweep
        // after its lease, by a decider whose queue refused the job). Begun now, it can no longer be: read it again.
        Optional<Run> again = store.run(run.contactId(), run.campaign(), run.occurrence());
        if (again.isEmpty() || again.get().claim() == null || !again.get().claim().token().equals(claim.token())) {
            store.end(contact.id(), claim.token());
            pass.count("stale");
            return true;
        }
        List<DecisionLine> lines = new ArrayList<>();
        for (Decision d : plan.decisions()) {
            lines.add(DecisionLine.of(now, run, d));
        }
        String messageId;
        boolean unknown = false;
        try {
            messageId = provider(send, contact, campaign, out);
        } catch (ProviderThrottledException e) {
            store.end(contact.id(), claim.token());
            release(pass, run, now.plus(settings.backoff()), "throttled");
            pass.count("throttled-" + send.channel().wire());
            return true;
        } catch (ProviderUnavailableException e) {
            // Nothing is wrong with this message: the account refuses the whole channel. Give the send back and stop
            // using the channel for this batch; the next sweep decides it again.
            store.end(contact.id(), claim.token());
            store.release(run, claim, now.plus(PAUSE));
            pass.pause(send.channel());
            restUntil.put(send.channel(), now.plus(PAUSE));
            pass.count("paused-" + send.channel().wire());
            return true;
        } catch (ProviderRejectedException e) {
            String type = send.channel() == Channel.EMAIL ? EventType.EMAIL_REJECT.wire() : EventType.SMS_FAILED.wire();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", e.getMessage());
            data.put("template", send.template());
            TimelineEvent failure = new TimelineEvent(EventIds.of("failed", run.contactId(), run.campaign(), run.occurrence(), send.step()),
                    run.contactId(), type, now, run.campaign(), send.step(), null, data);
            Decision skipped = Decision.skip(send.step(), send.channel(), Reason.PROVIDER_REJECTED, send.rule()).withVariant(send.variant());
            List<DecisionLine> failed = new ArrayList<>(lines.subList(0, lines.size() - 1));
            failed.add(DecisionLine.of(now, run, skipped));
            store.recordFailure(run, claim, failure, new Plan.Finish("failed"), failed);
            // The guard names the *.sent event this send will never have: let go of it.
            store.end(contact.id(), claim.token());
            pass.tally(run.campaign(), run.contactId(), CampaignStats.keyed(List.of(send.channel().wire() + ".failed",
                    CampaignStats.decision(send.channel().wire(), "skipped", Reason.PROVIDER_REJECTED.wire())), send.step(), now));
            pass.emit(failed);
            pass.count(Runs.REJECTED);
            return true;
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
            if (out.viewCode() != null) {
                data.put("viewCode", out.viewCode());
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
        // The template's locale the contact's tag picked, when it picked one (the decider rendered the same).
        String locale = pass.template(send.template()).source().localeFor(contact.locale());
        if (locale != null) {
            data.put("locale", locale);
        }
        if (send.variant() != null) {
            data.put("variant", send.variant());
        }
        if (campaign.transactional()) {
            data.put("transactional", true);
        }
        TimelineEvent sent = Runs.sentEvent(run, send.step(), send.channel(), now, messageId, data);
        List<String> counters = new ArrayList<>();
        counters.addAll(CampaignStats.keyed(Runs.counterOfSent(sent), send.step(), now, send.variant()));
        for (Decision d : plan.decisions()) {
            if (d != send) {
                counters.addAll(CampaignStats.keyed(CampaignStats.decision(d.channel().wire(), d.action().wire(), d.reason().wire()), d.step(), now, d.variant()));
            }
        }
        // SMS delivery receipts name only the message id; SES's events carry the message's tags, so an email needs none.
        SentMessage lookup = messageId == null || send.channel() != Channel.SMS ? null
                : new SentMessage(messageId, run.contactId(), send.channel(), run.campaign(), send.step());
        try {
            store.recordSend(run, claim, sent, lookup, Runs.afterSend(out.next(), send.channel(), messageId), lines);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // The message went: whatever kept its record from landing, the job comes back, and after the send lease
            // the run is finished from its event or marked unknown, never settled as failed.
            throw new StoreUnavailableException("the record of a sent message failed: " + e, e);
        }
        pass.tally(run.campaign(), run.contactId(), counters);
        pass.emit(lines);
        if (unknown) {
            pass.count("unknown");
        }
        return true;
    }

    /** Gives the claim back, due at {@code at}, for a sweep to decide again. */
    private void release(Pass pass, Run run, Instant at, String why) {
        pass.count(store.release(run, run.claim(), at) ? why : "contended");
    }

    /** Calls the provider (the send's rate token is already taken). */
    private String provider(Decision send, Contact contact, Campaign campaign, Outgoing out) {
        if (send.channel() == Channel.EMAIL) {
            return email.send(new EmailSender.Email(contact.email(), send.content().subject(), send.content().body(),
                    PlainText.of(send.content().body()), out.headers(), out.tags()));
        }
        return sms.send(new SmsSender.Sms(contact.phone(), send.content().body(), campaign.transactional()));
    }
}
