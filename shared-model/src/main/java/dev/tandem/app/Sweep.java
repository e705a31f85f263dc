package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decider;
import dev.tandem.decide.Decision;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.audience.Segment;
import dev.tandem.campaign.Recurrence;
import java.time.Duration;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Run;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.SendQueue;
import dev.tandem.port.StoreUnavailableException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One run of the decider, as EventBridge Scheduler invokes it: it pages through what is due, the shards in
 * parallel, with bounded memory; decides each run with the {@link Decider}; and for a send, claims it and puts a job
 * on the {@link SendQueue}. It never calls a provider: the senders ({@link Dispatch}) do, at the account's rate, so
 * deciding never waits on sending. It stops cleanly when time runs short and leaves the rest for the next run.
 *
 * <p>One bad run never stops the sweep. A run that fails for a reason of its own (a template that throws, a message
 * too large to keep, a definition or profile the engine cannot read) is settled {@code skipped} with reason
 * {@code invalid-definition} and counted; the store not answering leaves that run for the next sweep. Only a failure
 * of the whole (the store not answering for several runs in a row) ends the sweep.
 *
 * <p>A claimed run stays listed where it was due, and a sweep passes over it until its claim's lease ends. By then its
 * job was sent or lost: a send that began and left no record is recovered from its {@code *.sent} event or marked
 * unknown, never resent; a job that never began is given back, to be decided again. (Listing it again at the lease's
 * end would rewrite its index entry twice for every send; reading past it costs a fraction of a read.)
 */
public final class Sweep {
    private final DecisionStore store;
    private final SendQueue queue;
    private final Supplier<String> tokens;
    private final Settings settings;
    private final ExecutorService shardPool;
    private final ExecutorService workPool;

    /**
     * @param publicBaseUrl  where /l, /v and /u are served
     * @param claimLease     how long a claimed send may wait for a sender before its run comes back to a sweep: longer
     *                       than the queue's longest backlog (an audience divided by the sending rate)
     * @param sendLease      how long a begun send may take before it counts as crashed
     * @param pageSize       due items read a page at a time
     * @param launchPageSize audience contacts enrolled a page at a time
     * @param threads        runs decided at once (shards are read in parallel, a page's runs decided in parallel)
     * @param echoLimit      how many decision lines a result keeps (the rest are only counted)
     */
    public record Settings(String publicBaseUrl, Duration claimLease, Duration sendLease, int timelineEvents, int pageSize,
                           int launchPageSize, int threads, int echoLimit) {
    }

    /**
     * What a sweep did: decision lines (up to the echo limit), counts by outcome, and whether it finished.
     * {@code failed} counts runs settled because they could not be carried out (runs left for later because the
     * store did not answer are counted in {@code errors}, not here); {@code paused} names the channels a provider
     * refused as a whole. Both are what an operator is alarmed on.
     */
    public record Result(List<DecisionLine> lines, Map<String, Integer> counts, boolean finished, Set<Channel> paused) {
        public int failed() {
            return counts.getOrDefault(Runs.INVALID, 0) + counts.getOrDefault(Runs.REJECTED, 0);
        }
    }

    public Sweep(DecisionStore store, SendQueue queue, Supplier<String> tokens, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.settings = Objects.requireNonNull(settings, "settings");
        int threads = Math.max(1, settings.threads());
        this.shardPool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, store.shards())), Parallel.daemon("sweep-shard"));
        this.workPool = Executors.newFixedThreadPool(threads, Parallel.daemon("sweep-run"));
    }


    /**
     * The jobs of claimed sends, put on the queue ten at a time (the most one request takes) and at the end of a pass.
     * Jobs the queue refuses have their claims given back at once, to be decided again by the next sweep, rather than
     * wait out the claim lease.
     */
    private final class Outbox {
        private record Entry(SendQueue.Job job, Run run, Run.Claim claim) {
        }

        private final Pass pass;
        private final List<Entry> entries = new ArrayList<>();

        Outbox(Pass pass) {
            this.pass = pass;
        }

        void add(SendQueue.Job job, Run run, Run.Claim claim) {
            List<Entry> full = null;
            synchronized (entries) {
                entries.add(new Entry(job, run, claim));
                if (entries.size() >= 10) {
                    full = List.copyOf(entries);
                    entries.clear();
                }
            }
            if (full != null) {
                put(full);
            }
        }

        void flush() {
            List<Entry> rest;
            synchronized (entries) {
                rest = List.copyOf(entries);
                entries.clear();
            }
            if (!rest.isEmpty()) {
                put(rest);
            }
        }

        private void put(List<Entry> batch) {
            try {
                queue.put(batch.stream().map(Entry::job).toList());
            } catch (RuntimeException e) {
                for (Entry en : batch) {
                    pass.count("queue-failed");
                    try {
                        store.release(en.run(), en.claim(), pass.now);
                    } catch (RuntimeException again) {
                        // Left claimed: the sweep after its lease gives it back.
                        pass.count(Runs.ERRORS);
                    }
                }
            }
        }
    }

    /** Decides everything due by {@code now}, for as long as {@code timeLeft} says. */
    public Result run(Instant now, BooleanSupplier timeLeft) {
        Pass pass = new Pass(now, store, settings.echoLimit());
        Outbox out = new Outbox(pass);
        boolean finished;
        try {
            finished = sweep(pass, out, timeLeft);
        } finally {
            out.flush();
            pass.flushCounters();
        }
        return new Result(pass.lines(), pass.counts(), finished, pass.pausedChannels());
    }

    /** Works one launch, as its one-time schedule asks, then whatever else is due. */
    public Result launch(String campaign, String launchId, Instant now, BooleanSupplier timeLeft) {
        Pass pass = new Pass(now, store, settings.echoLimit());
        Outbox out = new Outbox(pass);
        boolean finished;
        try {
            Optional<Launch> l = store.launch(campaign, launchId);
            finished = (l.isEmpty() || launch(pass, out, l.get(), timeLeft)) && sweep(pass, out, timeLeft);
        } finally {
            out.flush();
            pass.flushCounters();
        }
        return new Result(pass.lines(), pass.counts(), finished, pass.pausedChannels());
    }

    /** Pages through every shard's due work, the shards in parallel; false when time ran short first. */
    private boolean sweep(Pass pass, Outbox out, BooleanSupplier timeLeft) {
        int shards = store.shards();
        // Start each run on a different shard, so that a run cut short does not always starve the same ones.
        int first = (int) Math.floorMod(pass.now.getEpochSecond() / 60, (long) shards);
        List<Callable<Boolean>> work = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            int shard = (first + i) % shards;
            work.add(() -> shard(pass, out, shard, timeLeft));
        }
        boolean finished = true;
        for (Boolean done : Parallel.all(shardPool, work)) {
            finished &= done;
        }
        return finished;
    }

    private boolean shard(Pass pass, Outbox out, int shard, BooleanSupplier timeLeft) {
        String cursor = null;
        do {
            if (!timeLeft.getAsBoolean()) {
                return false;
            }
            DecisionStore.DuePage page = store.due(shard, pass.now, cursor, settings.pageSize());
            List<Callable<Boolean>> runs = new ArrayList<>();
            List<Decided> decided = java.util.Collections.synchronizedList(new ArrayList<>());
            for (Object item : page.items()) {
                if (item instanceof Launch l) {
                    if (!launch(pass, out, l, timeLeft)) {
                        return false;
                    }
                } else {
                    Run run = (Run) item;
                    if (!pass.reserve(run.contactId())) {
                        // Another run of this contact is decided in this pass: this one waits for the next, to see it.
                        pass.count("contact-busy");
                        continue;
                    }
                    runs.add(() -> {
                        if (!timeLeft.getAsBoolean()) {
                            return false;
                        }
                        Runs.safely(store, pass, run, () -> decide(pass, decided, run));
                        return true;
                    });
                }
            }
            boolean finished = true;
            for (Boolean done : Parallel.all(workPool, runs)) {
                finished &= done;
            }
            claim(pass, out, decided);
            if (!finished) {
                return false;
            }
            cursor = page.next();
        } while (cursor != null);
        return true;
    }

    /**
     * Enrols a launch's audience page by page, each page's contacts in parallel; each contact's first step is decided
     * at once. A page with a contact that failed on the store is not passed: the next sweep enrols it again
     * (enrolling is idempotent).
     */
    private boolean launch(Pass pass, Outbox out, Launch launch, BooleanSupplier timeLeft) {
        Optional<Campaign> campaign = pass.campaign(launch.campaign());
        if (campaign.isEmpty()) {
            store.advance(launch, null);
            pass.count("launch-without-campaign");
            return true;
        }
        if (launch.recurrence()) {
            return recur(pass, out, launch, campaign.get(), timeLeft);
        }
        Segment segment = null;
        if (launch.segment() != null) {
            segment = pass.segment(launch.segment()).orElse(null);
            if (segment == null) {
                store.advance(launch, null);
                pass.count("launch-without-segment");
                return true;
            }
        }
        Campaign definition = campaign.get();
        Duration reentry = campaign.get().recurring() == null ? null : campaign.get().recurring().reentry();
        Launch current = launch;
        while (true) {
            DecisionStore.AudiencePage page;
            if (segment == null) {
                page = store.audience(current, settings.launchPageSize());
            } else {
                Audiences.Page p = Audiences.page(store, segment, current.cursor(), settings.launchPageSize(), pass.now);
                page = new DecisionStore.AudiencePage(p.ids(), p.next());
                pass.add("segment-read", p.read());
            }
            int errors = pass.count(Runs.ERRORS, 0);
            List<Callable<Boolean>> enrol = new ArrayList<>();
            List<Decided> decided = java.util.Collections.synchronizedList(new ArrayList<>());
            for (String contactId : page.contactIds()) {
                Launch l = current;
                // A variant of an experiment may start elsewhere (sms-first against email-first).
                String first = Decider.firstStep(definition, contactId);
                if (!pass.reserve(contactId)) {
                    // Another run of this contact is decided in this pass: this one is stored, due, for the next.
                    enrol.add(() -> {
                        Runs.safely(store, pass, Run.launched(contactId, l.campaign(), l.launchId(), first, l.at()), () -> {
                            if (l.occurrence() && !store.enter(contactId, l, reentry)) {
                                pass.count("not-reentering");
                                return;
                            }
                            if (store.schedule(Run.launched(contactId, l.campaign(), l.launchId(), first, l.at()))) {
                                enrolled(pass, l.campaign(), contactId, definition.groupOf(contactId));
                            }
                        });
                        pass.count("contact-busy");
                        return true;
                    });
                    continue;
                }
                enrol.add(() -> {
                    if (!timeLeft.getAsBoolean()) {
                        return false;
                    }
                    Run run = Run.launched(contactId, l.campaign(), l.launchId(), first, l.at());
                    Runs.safely(store, pass, run, () -> {
                        if (l.occurrence() && !store.enter(contactId, l, reentry)) {
                            pass.count("not-reentering");
                            return;
                        }
                        enrol(pass, decided, l, contactId, first);
                    });
                    return true;
                });
            }
            boolean finished = true;
            for (Boolean done : Parallel.all(workPool, enrol)) {
                finished &= done;
            }
            claim(pass, out, decided);
            if (!finished) {
                return false;
            }
            if (pass.count(Runs.ERRORS, 0) > errors) {
                pass.count("launch-page-retried");
                return true;
            }
            // The page's jobs go out before the cursor passes them.
            out.flush();
            if (!store.advance(current, page.next())) {
                pass.count("launch-contended");
                return true;
            }
            if (page.next() == null) {
                pass.count("launch-done");
                return true;
            }
            current = current.advanced(page.next());
        }
    }

    /**
     * A recurring campaign's time has come: its occurrence is stored and the recurrence moves on to the next time, then
     * the occurrence enrols like any launch. A recurrence whose campaign no longer recurs ends.
     */
    private boolean recur(Pass pass, Outbox out, Launch recurrence, Campaign campaign, BooleanSupplier timeLeft) {
        if (recurrence.at().isAfter(pass.now)) {
            return true;
        }
        Recurrence r = campaign.recurring();
        if (r == null) {
            store.advance(recurrence, null);
            pass.count("recurrence-ended");
            return true;
        }
        Launch occurrence = recurrence.occurrenceNow();
        Recurrence.Occurrence next = r.next(new Recurrence.Occurrence(recurrence.at(), recurrence.localAt()));
        // Occurrences missed while nothing ran are not made up: the next one is the first still to come.
        while (next != null && !next.at().isAfter(pass.now)) {
            next = r.next(next);
        }
        if (!store.occur(recurrence, occurrence, next)) {
            pass.count("recurrence-contended");
            return true;
        }
        pass.count("occurrence");
        return store.launch(occurrence.campaign(), occurrence.launchId())
                .map(l -> launch(pass, out, l, timeLeft)).orElse(true);
    }

    private void enrol(Pass pass, List<Decided> page, Launch launch, String contactId, String firstStep) {
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
                pass.campaign(launch.campaign()).ifPresent(c -> enrolled(pass, launch.campaign(), contactId, c.groupOf(contactId)));
            }
            return;
        }
        decide(pass, page, run);
    }

    /** Decides one run: a send goes to {@code page}, to be claimed with the page's others; anything else is written at once. */
    private void decide(Pass pass, List<Decided> page, Run run) {
        Instant now = pass.now;
        if (run.claim() != null) {
            // A claimed run stays listed at its due time: its job is on its way until the claim's lease ends.
            if (run.claim().at().plus(settings.claimLease()).isAfter(now)) {
                pass.count("in-flight");
            } else {
                leaseEnded(pass, run);
            }
            return;
        }
        Optional<Runs.Inputs> in = Runs.inputs(store, pass, run, settings.timelineEvents());
        if (in.isEmpty()) {
            return;
        }
        Campaign campaign = in.get().campaign();
        DecisionStore.SendView view = in.get().view();
        if (view.busy(now, Runs.settledWithin(settings.claimLease(), settings.sendLease()))) {
            // A send is on its way to the contact: decide once it is on the timeline, so that it counts against the
            // budget. A run a launch is enrolling now is stored first, so that the launch can move past it.
            if (run.isNew() && store.schedule(run)) {
                enrolled(pass, run.campaign(), run.contactId(), campaign.groupOf(run.contactId()));
            }
            pass.count("contact-busy");
            return;
        }
        Contact contact = view.view().contact();
        String token = tokens.get();
        LinkMaker links = new LinkMaker(settings.publicBaseUrl(), contact.id(), run.campaign(), run.step(), LinkMaker.seeded(token));
        Plan plan = pass.decider().decide(new Decider.Input(contact, view.view().timeline(), campaign, run,
                pass::template, links), now);
        Decision send = plan.send();
        if (send == null) {
            settle(store, pass, run, plan, now);
            return;
        }
        Outgoing o = Outgoing.of(send, plan, campaign, contact, links);
        page.add(new Decided(run, new Run.Claim(token, now, send.step(), send.channel(), links.drawn(), o.next()), links.items(),
                send.variant()));
    }

    /** A send decided and not yet claimed: its run, its claim, and the link items to write before the claim. */
    private record Decided(Run run, Run.Claim claim, List<DecisionStore.LinkItem> links, String variant) {
    }

    /**
     * Claims a page's decided sends: their link items first, 25 to a write and the writes in parallel, then each claim,
     * in parallel, and each claimed send's job into the outbox. A page whose links could not be written claims nothing
     * (its runs stay due, or its launch page is enrolled again), except that one run's link item too large to keep
     * settles that run alone.
     */
    private void claim(Pass pass, Outbox out, List<Decided> decided) {
        if (decided.isEmpty()) {
            return;
        }
        List<DecisionStore.LinkItem> links = new ArrayList<>();
        decided.forEach(d -> links.addAll(d.links()));
        List<Callable<Boolean>> writes = new ArrayList<>();
        for (int from = 0; from < links.size(); from += 25) {
            List<DecisionStore.LinkItem> chunk = links.subList(from, Math.min(links.size(), from + 25));
            writes.add(() -> {
                store.links(chunk);
                return true;
            });
        }
        List<Decided> ready = decided;
        try {
            Parallel.all(workPool, writes);
        } catch (dev.tandem.port.ItemTooLargeException e) {
            // One run's item the store refuses (too large) fails its whole batch: each run's links go alone, and a run
            // whose own links fail is settled with the cause while the others are claimed.
            List<Decided> alone = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Callable<Boolean>> each = new ArrayList<>();
            for (Decided d : decided) {
                each.add(() -> {
                    if (Runs.safely(store, pass, d.run(), () -> store.links(d.links()))) {
                        alone.add(d);
                    }
                    return true;
                });
            }
            Parallel.all(workPool, each);
            ready = alone;
        } catch (RuntimeException e) {
            // The store not answering, or refusing the page for a reason of its own: nothing is claimed, the runs stay
            // due (a launch's page is enrolled again).
            pass.count(Runs.ERRORS);
            return;
        }
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (Decided d : ready) {
            claims.add(() -> {
                Runs.safely(store, pass, d.run(), () -> {
                    if (store.claim(d.run(), d.claim(), d.links())) {
                        if (d.run().isNew()) {
                            enrolled(pass, d.run().campaign(), d.run().contactId(), d.variant());
                        }
                        out.add(new SendQueue.Job(d.run().contactId(), d.run().campaign(), d.run().occurrence(), d.claim().token()),
                                d.run(), d.claim());
                        pass.count("claimed");
                    } else {
                        pass.count("contended");
                    }
                });
                return true;
            });
        }
        Parallel.all(workPool, claims);
    }

    /**
     * A launch's run of a contact stored for the first time, in an experiment's group: the group's contacts count it
     * (docs/experiments.md). Later writes of the run are not new, so a contact counts once per launch.
     */
    static void enrolled(Pass pass, String campaign, String contactId, String group) {
        if (group != null) {
            pass.tally(campaign, contactId, List.of(CampaignStats.VARIANT + group + "/contacts"));
        }
    }

    /** Writes a plan that sends nothing, and counts it. */
    static void settle(DecisionStore store, Pass pass, Run run, Plan plan, Instant now) {
        List<DecisionLine> lines = new ArrayList<>();
        List<String> counters = new ArrayList<>();
        for (Decision d : plan.decisions()) {
            lines.add(DecisionLine.of(now, run, d));
            counters.addAll(CampaignStats.keyed(CampaignStats.decision(d.channel() == null ? null : d.channel().wire(), d.action().wire(), d.reason().wire()), d.step(), now, d.variant()));
        }
        boolean moved = store.settle(run, plan.next(), lines);
        if (plan.next() instanceof Plan.Drop) {
            pass.count("dropped");
            return;
        }
        if (!moved) {
            pass.count("contended");
            return;
        }
        if (run.isNew() && !plan.decisions().isEmpty()) {
            enrolled(pass, run.campaign(), run.contactId(), plan.decisions().get(0).variant());
        }
        pass.tally(run.campaign(), run.contactId(), counters);
        if (plan.decisions().isEmpty() && plan.next() instanceof Plan.Wait) {
            pass.count("armed");
        } else {
            pass.emit(lines);
        }
    }

    /**
     * A claim whose lease ended. A send that began is a sender's to finish: still within its send lease it is left
     * alone; past it, the sender stopped, and the message is recovered from its event or marked unknown. A job that
     * never began was lost on the way (a decider stopped before queueing it, a job dead-lettered): the claim is given
     * back, to be decided again by the next sweep.
     */
    private void leaseEnded(Pass pass, Run run) {
        Run.Claim claim = run.claim();
        Optional<DecisionStore.SendView> view = Runs.view(store, run.contactId(), pass.now, settings.timelineEvents());
        DecisionStore.Pending pending = view.map(DecisionStore.SendView::pending).orElse(null);
        if (pending != null && pending.token().equals(claim.token())) {
            if (pending.at().plus(settings.sendLease()).isAfter(pass.now)) {
                pass.count("in-flight");
            } else {
                Runs.recoverOrMarkUnknown(store, pass, run, pending);
            }
            return;
        }
        if (store.release(run, claim, pass.now)) {
            pass.count("released");
        } else {
            pass.count("in-flight");
        }
    }

    // --- preview -------------------------------------------------------------------------------

    /** The decisions a launch would make now for these contacts: nothing sent, nothing written. */
    public List<DecisionLine> preview(Campaign campaign, List<String> contactIds, Instant now) {
        Pass pass = new Pass(now, store, 0);
        pass.knownCampaign(campaign);
        List<DecisionLine> out = new ArrayList<>();
        for (String id : contactIds) {
            String first = Decider.firstStep(campaign, id);
            Optional<DecisionStore.SendView> view = Runs.view(store, id, now, settings.timelineEvents());
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
