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
 * sweeps cannot both move it; a send is claimed before the provider is called.
 */
public interface DecisionStore {

    int shards();

    /** A page of what is due on one shard by {@code now}, oldest first: runs and launches. */
    DuePage due(int shard, Instant now, String cursor, int limit);

    record DuePage(List<Object> items, String next) {
    }

    /** The profile, the newest events since an instant, and the contact's send sequence: one read. */
    Optional<SendView> view(String contactId, Instant since, int newest);

    record SendView(ContactStore.ContactView view, long sendSequence) {
    }

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
     * Claims a send: writes the run with its claim (new, or at the version read), moves the contact's send
     * sequence on from the one read, and writes the link items. False when another writer got there first.
     */
    boolean claim(Run run, Run.Claim claim, long sendSequence, List<LinkItem> links);

    /**
     * The {@code *.sent} event of a claimed send, when it landed on the timeline (its record may have been kept
     * alone after the run's own write failed): the message went out.
     */
    Optional<TimelineEvent> sentEvent(Run run);

    /**
     * Records a sent message and moves the run on, in one write, retried on conflicts and throttling. When that
     * write still fails, the event and its lookup are written alone, so the message is on the timeline and the run
     * is finished from them after its lease; only when that fails too does it throw.
     */
    void recordSend(Run run, Run.Claim claim, TimelineEvent sent, SentMessage lookup, Plan.Next next,
                    List<DecisionLine> lines, List<String> counters);

    /** Records a send the provider refused for good, and moves the run on. */
    void recordFailure(Run run, Run.Claim claim, TimelineEvent failure, Plan.Next next,
                       List<DecisionLine> lines, List<String> counters);

    /** Gives a throttled send back, due again at {@code dueAt}: not lost, not doubled. */
    void release(Run run, Run.Claim claim, Instant dueAt);

    /**
     * Applies a decision that sends nothing (defer, skip, finish, arm, drop). Dropping a run never stored writes
     * nothing. False when another writer moved the run.
     */
    boolean settle(Run run, Plan.Next next, List<DecisionLine> lines, List<String> counters);

    /** A claim left by a crashed run whose message left no record: never resent, marked unknown, counted in the stats. */
    boolean markUnknown(Run run, List<String> counters);

    /** Stores a run due later (a local-time launch whose hour has not come) unless it exists. */
    boolean schedule(Run run);

    // --- launches ------------------------------------------------------------------------------

    Optional<Launch> launch(String campaign, String launchId);

    /** The next contact ids of a launch's audience after its cursor, and the cursor after them (null at the end). */
    AudiencePage audience(Launch launch, int limit);

    record AudiencePage(List<String> contactIds, String next) {
    }

    /** Moves a launch's cursor on (or finishes it when {@code next} is null); false when another writer did. */
    boolean advance(Launch launch, String next);
}
