package dev.tandem.port;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Run;
import dev.tandem.ingest.SentMessage;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the decider needs of the store. Due work is indexed by time on sharded keys, so a sweep reads only
 * what is due. Every write that moves a run is checked against the version read, so two overlapping
 * sweeps cannot both move it; a send is claimed by the decider, and begun on the contact's guard by the sender
 * before the provider is called.
 */
public interface DecisionStore extends AudienceStore {

    int shards();

    /** A page of what is due on one shard by {@code now}, oldest first: runs and launches. */
    DuePage due(int shard, Instant now, String cursor, int limit);

    record DuePage(List<Object> items, String next) {
    }

    /**
     * The profile, the newest events since an instant, and the contact's send guard: one read. A contact with no
     * profile has no view.
     */
    Optional<SendView> view(String contactId, Instant since, int newest);

    /**
     * A contact as a send sees it: its view, the sequence of its send guard (what {@link #begin} checks), and the
     * send begun on it last, if any.
     */
    record SendView(ContactStore.ContactView view, long sendSequence, Pending pending) {
        /**
         * A send began on the contact and is not settled: its {@code *.sent} event is not on the timeline, and it was not
         * ended or marked unknown. Nothing else may begin on the contact until it is, so that a crashed send is always
         * found by its own claim, and two sends never spend one budget. Every begun send is settled within its claim's
         * lease and its send lease ({@code settledWithin}): a pending send older than that is an old one whose event
         * has left the view's window, not one in progress.
         */
        public boolean busy(Instant now, java.time.Duration settledWithin) {
            return pending != null && pending.at().plus(settledWithin).isAfter(now)
                    && view.timeline().newestFirst().stream().noneMatch(e -> e.eventId().equals(pending.eventId()));
        }
    }

    /**
     * A send begun on a contact: the claim's token, the id its {@code *.sent} event will have, when it began, and the
     * attempt that began it (a retry of the very same write passes {@link #begin}; a second delivery of the job does not).
     */
    record Pending(String token, String eventId, Instant at, String attempt) {
    }

    /** A run as stored now (read consistently): what a sender checks its job against. */
    Optional<Run> run(String contactId, String campaign, String occurrence);

    /** A stored campaign as it was accepted: never checked again on read. */
    Optional<Campaign> campaign(String id);

    Optional<MessageTemplate> template(String id);

    ContactPolicy policy();

    /** A message's link, web version or unsubscribe code, written with the claim so it exists before the send. */
    record LinkItem(String kind, String code, String url, String subject, String html,
                    String contactId, String campaign, String step) {
        public static final String LINK = "link";
        public static final String VIEW = "view";
        public static final String UNSUBSCRIBE = "unsubscribe";
    }

    /**
     * Claims a send: writes the run with its claim (new, or at the version read and not claimed), still listed at its
     * due time, so that a claim whose job was lost comes back to a sweep once its lease ends, and naming its link items
     * (written before, with {@link #links}), so that erasing the contact erases them. False when another writer got
     * there first.
     */
    boolean claim(Run run, Run.Claim claim, List<LinkItem> links);

    /** Writes a message's link items: before its claim, and, for a sender's message, those beyond the claim's. */
    void links(List<LinkItem> links);

    /**
     * Begins a send on a contact: its guard moves on from the sequence read and holds {@code pending}. False when
     * another send began on the contact since that read. Two senders never both spend one contact's budget.
     */
    boolean begin(String contactId, long seenSequence, Pending pending);

    /** Ends a begun send that did not go out (throttled, given back): the guard no longer holds it. */
    void end(String contactId, String token);

    /**
     * The {@code *.sent} event of a claimed send that began at {@code pending}, when it landed on the timeline: the
     * message went out, whatever happened to the run's own write after it.
     */
    Optional<TimelineEvent> sentEvent(Run run, Pending pending);

    /**
     * Records a sent message and moves the run on: the event and its lookup first, then the run, so that a sender
     * that stops in between leaves the event for {@link #sentEvent} to find. Throws only when the event could not
     * be written.
     */
    void recordSend(Run run, Run.Claim claim, TimelineEvent sent, SentMessage lookup, Plan.Next next, List<DecisionLine> lines);

    /** Records a send the provider refused for good, and moves the run on. */
    void recordFailure(Run run, Run.Claim claim, TimelineEvent failure, Plan.Next next, List<DecisionLine> lines);

    /**
     * Gives a claimed send back, due again at {@code dueAt}, unless a sender has begun it (its guard holds the
     * claim's token): not lost, not doubled. False when the claim is gone or the send has begun.
     */
    boolean release(Run run, Run.Claim claim, Instant dueAt);

    /**
     * Applies a decision that sends nothing (defer, skip, finish, arm, drop): to the run at the version read, or,
     * for a claimed run, to the run still holding its claim (which it then drops). Dropping a run never stored
     * writes nothing. False when another writer moved the run.
     */
    boolean settle(Run run, Plan.Next next, List<DecisionLine> lines);

    /** A claim whose send began and left no record: never resent, marked unknown; the contact's guard lets go of it. */
    boolean markUnknown(Run run);

    /** Stores a run due later (a local-time launch whose hour has not come) unless it exists. */
    boolean schedule(Run run);

    /**
     * Adds to a campaign's counters, on the stats shard of {@code contactId}: written after the work they count,
     * a batch at a time, so that a lost counter write costs the stats, never a message's record.
     */
    void count(String campaign, String contactId, java.util.Map<String, Long> counters);

    // --- launches ------------------------------------------------------------------------------

    Optional<Launch> launch(String campaign, String launchId);

    /** The next contact ids of a launch's audience after its cursor, and the cursor after them (null at the end). */
    AudiencePage audience(Launch launch, int limit);

    record AudiencePage(List<String> contactIds, String next) {
    }

    /** Moves a launch's cursor on (or finishes it when {@code next} is null); false when another writer did. */
    boolean advance(Launch launch, String next);

    /**
     * Starts a recurrence's occurrence: stores {@code occurrence} (unless an earlier try did) and moves the recurrence on
     * to {@code next} (finishing it when null), at the version read. False when another writer moved it first.
     */
    boolean occur(Launch recurrence, Launch occurrence, dev.tandem.campaign.Recurrence.Occurrence next);

    /**
     * Lets a contact into an occurrence of a recurring campaign, recording its entry: true when it never entered the
     * campaign's recurrence, when {@code reentry} (null: never again) has passed since its last entry, or when this very
     * occurrence let it in before (a retried enrolment).
     */
    boolean enter(String contactId, Launch occurrence, java.time.Duration reentry);

    // --- goals (docs/experiments.md) -----------------------------------------------------------

    /** A contact's run of a campaign as a goal reads it: when it started, and its decision lines as kept. */
    record RunHistory(String campaign, String occurrence, Run.Kind kind, java.time.Instant startedAt,
                      List<java.util.Map<String, Object>> lines) {
    }

    /** Every run of a contact (its own partition: a few items). */
    List<RunHistory> runsOf(String contactId);

    /**
     * Marks the contact converted for a launch of a campaign and adds {@code counters} to the campaign's, in one write:
     * false, and nothing added, when it was converted already (a contact converts once).
     */
    boolean convert(String contactId, String campaign, String occurrence, java.time.Instant at, java.util.Map<String, Long> counters);
}
