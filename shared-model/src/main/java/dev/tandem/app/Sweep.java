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
import dev.tandem.port.Pacer;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.SmsSender;
import dev.tandem.render.Renderer;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One run of the decider, as EventBridge Scheduler invokes it: it pages through what is due, shard by
 * shard, with bounded memory; decides each run with the {@link Decider}; claims a send before calling the
 * provider; records the result. It stops cleanly when time runs short and leaves the rest for the next run.
 */
public final class Sweep {
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

    /** What a sweep did: decision lines (up to the echo limit), counts by outcome, and whether it finished. */
    public record Result(List<DecisionLine> lines, Map<String, Integer> counts, boolean finished) {
    }

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

    /** State of one invocation: definitions read once, what it decided. */
    private final class Pass {
        final Instant now;
        private ContactPolicy policy;
        private Decider decider;
        final Map<String, Optional<Campaign>> campaigns = new HashMap<>();
        final Map<String, Optional<MessageTemplate>> definitions = new HashMap<>();
        final Map<String, Renderer.Compiled> templates = new HashMap<>();
        final List<DecisionLine> lines = new ArrayList<>();
        final Map<String, Integer> counts = new TreeMap<>();

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
            decider();
            return campaigns.computeIfAbsent(id, k -> store.campaign(k, t -> definition(t).orElse(null), policy,
                    LinkMaker.lengthFor(settings.publicBaseUrl())));
        }

        /** A template as stored, read once a pass: checking a campaign and rendering its messages share the read. */
        private Optional<MessageTemplate> definition(String id) {
            return definitions.computeIfAbsent(id, store::template);
        }

        Renderer.Compiled template(String id) {
            return templates.computeIfAbsent(id, k -> Renderer.compile(definition(k)
                    .orElseThrow(() -> new IllegalStateException("template " + k + " is gone"))));
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
            return new Result(List.copyOf(lines), Map.copyOf(counts), finished);
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
                        decide(pass, (Run) item);
                    }
                }
                cursor = page.next();
            } while (cursor != null);
        }
        return true;
    }

    /** Enrols a launch's audience page by page; each contact's first step is decided at once. */
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
            for (String contactId : page.contactIds()) {
                if (!timeLeft.getAsBoolean()) {
                    return false;
                }
                enrol(pass, current, contactId, first);
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
                Channel ch = channelOf(run.claim().step());
                if (store.markUnknown(run, List.of(ch.wire() + ".unknown"))) {
                    pass.count("unknown");
                }
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

    private void send(Pass pass, Run run, Campaign campaign, Contact contact, long sequence, Plan plan, Decision send,
                      LinkMaker links, List<DecisionLine> lines) {
        Instant now = pass.now;
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        String viewCode = null;
        if (send.channel() == Channel.EMAIL) {
            // The web version is kept for an email an SMS will link to (email-first's follow-up): storing every
            // email's HTML would cost more than the rest of the send.
            if (plan.next() instanceof Plan.Continue c && Steps.SMS.equals(c.step())) {
                viewCode = links.newViewCode();
                links.view(viewCode, send.content().subject(), send.content().body());
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
        Run.Claim claim = new Run.Claim(tokens.get(), now, send.step());
        if (!store.claim(run, claim, sequence, links.items())) {
            pass.count("contended");
            return;
        }
        String messageId;
        try {
            messageId = provider(send, contact, campaign, headers, tags);
        } catch (ProviderThrottledException e) {
            store.release(run, claim, now.plus(Duration.ofMinutes(1)));
            pass.count("throttled");
            return;
        } catch (ProviderRejectedException e) {
            String type = send.channel() == Channel.EMAIL ? EventType.EMAIL_REJECT.wire() : EventType.SMS_FAILED.wire();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", e.getMessage());
            data.put("template", send.template());
            TimelineEvent failure = new TimelineEvent(EventIds.of("failed", run.contactId(), run.campaign(), run.occurrence(), send.step()),
                    run.contactId(), type, now, run.campaign(), send.step(), null, data);
            Decision skipped = Decision.skip(send.step(), send.channel(), Reason.UNREACHABLE, send.rule());
            List<DecisionLine> failed = new ArrayList<>(lines.subList(0, lines.size() - 1));
            failed.add(DecisionLine.of(now, run, skipped));
            store.recordFailure(run, claim, failure, new Plan.Finish("failed"), failed,
                    List.of(send.channel().wire() + ".failed"));
            pass.emit(failed);
            pass.count("failed");
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("template", send.template());
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
        TimelineEvent sent = new TimelineEvent(EventIds.of("sent", run.contactId(), run.campaign(), run.occurrence(), send.step()),
                run.contactId(), send.channel() == Channel.EMAIL ? EventType.EMAIL_SENT.wire() : EventType.SMS_SENT.wire(),
                now, run.campaign(), send.step(), messageId, data);
        Plan.Next next = plan.next();
        if (next instanceof Plan.Continue c && send.channel() == Channel.EMAIL) {
            Map<String, String> more = new LinkedHashMap<>(c.data());
            more.put(Run.EMAIL_MESSAGE_ID, messageId);
            if (viewCode != null) {
                more.put(Run.VIEW_CODE, viewCode);
            }
            next = new Plan.Continue(c.step(), c.dueAt(), more);
        }
        List<String> counters = new ArrayList<>();
        CampaignStats.counterOf(sent).ifPresent(counters::add);
        for (Decision d : plan.decisions()) {
            if (d != send) {
                counters.add(CampaignStats.decision(d.channel().wire(), d.action().wire(), d.reason().wire()));
            }
        }
        store.recordSend(run, claim, sent, new SentMessage(messageId, run.contactId(), send.channel(), run.campaign(), send.step()),
                next, lines, counters);
        pass.emit(lines);
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
