package dev.tandem.app;

import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.decide.Decision;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Reason;
import dev.tandem.decide.Run;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.ingest.EventIds;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.ItemTooLargeException;
import dev.tandem.port.StoreUnavailableException;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the sweep and the sender both do with a run: keep one run's failure to itself, recover a crashed send. */
final class Runs {
    /** Runs in a row that fail on the store before a pass takes the store for down and stops. */
    static final int STORE_FAILURES_IN_A_ROW = 5;
    static final String INVALID = "invalid-definition";
    static final String REJECTED = "provider-rejected";
    static final String ERRORS = "errors";

    private Runs() {
    }

    /**
     * Carries out one run, so that whatever goes wrong with it stays with it. The store not answering leaves the run as
     * it is and is counted, until {@value #STORE_FAILURES_IN_A_ROW} in a row say the store itself is down and end the
     * pass (the exception goes up). Anything else that fails this run (a template that cannot render, a message too
     * large to keep, a definition the engine cannot carry out) settles it {@code invalid-definition}, with the cause.
     * True when the work ran to its end.
     */
    static boolean safely(DecisionStore store, Pass pass, Run run, Runnable work) {
        try {
            work.run();
            pass.storeFailuresInARow.set(0);
            return true;
        } catch (StoreUnavailableException e) {
            pass.count(ERRORS);
            if (pass.storeFailuresInARow.incrementAndGet() >= STORE_FAILURES_IN_A_ROW) {
                throw e;
            }
            return false;
        } catch (InvalidInputException | ItemTooLargeException e) {
            pass.storeFailuresInARow.set(0);
            settleFailed(store, pass, run, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            pass.storeFailuresInARow.set(0);
            settleFailed(store, pass, run, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return false;
        }
    }

    /** Settles a run that cannot be carried out: skipped, {@code invalid-definition}, with the cause in its history. */
    static void settleFailed(DecisionStore store, Pass pass, Run run, String why) {
        Channel ch = run.claim() != null && run.claim().channel() != null ? run.claim().channel()
                : Steps.channelOf(run.claim() != null ? run.claim().step() : run.step());
        Decision skipped = Decision.skip(run.step(), ch, Reason.INVALID_DEFINITION, null);
        DecisionLine line = DecisionLine.of(pass.now, run, skipped);
        Plan.Finish failed = new Plan.Finish("failed: " + (why == null ? "unknown" : why.length() > 300 ? why.substring(0, 300) : why));
        boolean settled;
        try {
            settled = store.settle(run, failed, List.of(line));
        } catch (ItemTooLargeException e) {
            // The run's own item is what is too large: settle it without adding to its history.
            settled = store.settle(run, failed, List.of());
        }
        if (settled) {
            pass.tally(run.campaign(), run.contactId(), CampaignStats.keyed(CampaignStats.decision(ch.wire(), skipped.action().wire(), Reason.INVALID_DEFINITION.wire()), run.step(), pass.now));
            pass.emit(List.of(line));
            pass.count(INVALID);
        } else {
            pass.count("contended");
        }
    }

    /**
     * A send that began and did not come back within its lease. When the message's {@code *.sent} event is on the
     * timeline, the message went: the run moves on as the claim said. Otherwise the sender stopped somewhere between
     * the provider call and the record: the message is never resent, only marked unknown.
     */
    static void recoverOrMarkUnknown(DecisionStore store, Pass pass, Run run, DecisionStore.Pending pending) {
        Run.Claim claim = run.claim();
        Channel ch = claim.channel() != null ? claim.channel() : Steps.channelOf(claim.step());
        Optional<TimelineEvent> sent = store.sentEvent(run, pending);
        if (sent.isPresent()) {
            TimelineEvent e = sent.get();
            Channel sentOn = e.channel().orElse(ch);
            Plan.Next next = afterSend(claim.next() == null ? new Plan.Finish("done") : claim.next(), sentOn, e.messageId());
            SentMessage lookup = e.messageId() == null || sentOn != Channel.SMS ? null
                    : new SentMessage(e.messageId(), run.contactId(), sentOn, run.campaign(), claim.step());
            store.recordSend(run, claim, e, lookup, next, List.of());
            pass.tally(run.campaign(), run.contactId(), CampaignStats.keyed(counterOfSent(e), claim.step(), e.at()));
            pass.count("recovered");
            return;
        }
        if (store.markUnknown(run)) {
            pass.tally(run.campaign(), run.contactId(), CampaignStats.keyed(ch.wire() + ".unknown", claim.step(), pass.now));
            pass.count("unknown");
        }
    }

    /**
     * How long after it began a send may still be unsettled: its claim's lease and its send lease, and a day more for
     * a sweep that settles it late. A pending send older than that is an old one whose event left the view's window.
     */
    static java.time.Duration settledWithin(java.time.Duration claimLease, java.time.Duration sendLease) {
        return claimLease.plus(sendLease).plusDays(1);
    }

    /** A run's campaign and its contact as a decision reads them. */
    record Inputs(dev.tandem.campaign.Campaign campaign, DecisionStore.SendView view) {
    }

    /**
     * The campaign and the contact a run is decided with, read once; empty after dropping a run whose campaign or
     * contact is gone.
     */
    static Optional<Inputs> inputs(DecisionStore store, Pass pass, Run run, int timelineEvents) {
        Optional<dev.tandem.campaign.Campaign> campaign = pass.campaign(run.campaign());
        if (campaign.isEmpty()) {
            store.settle(run, new Plan.Drop("campaign " + run.campaign() + " is gone"), List.of());
            pass.count("dropped");
            return Optional.empty();
        }
        Optional<DecisionStore.SendView> view = view(store, run.contactId(), pass.now, timelineEvents);
        if (view.isEmpty()) {
            store.settle(run, new Plan.Drop("contact " + run.contactId() + " is gone"), List.of());
            pass.count("missing-contact");
            return Optional.empty();
        }
        return Optional.of(new Inputs(campaign.get(), view.get()));
    }

    /** A contact's profile, send guard and the events a decision reads: those of its habit window. */
    static Optional<DecisionStore.SendView> view(DecisionStore store, String contactId, Instant now, int timelineEvents) {
        return store.view(contactId, now.minus(dev.tandem.decide.Decider.HABIT_WINDOW), timelineEvents);
    }

    static String counterOfSent(TimelineEvent sent) {
        String ch = sent.channel().map(Channel::wire).orElse("email");
        return "unknown".equals(sent.data().get("outcome")) ? ch + ".unknown" : CampaignStats.counterOf(sent).orElse(ch + ".sent");
    }

    /** Where the run goes once its message is out: an email's message id rides along to the next step. */
    static Plan.Next afterSend(Plan.Next next, Channel channel, String messageId) {
        if (next instanceof Plan.Continue c && channel == Channel.EMAIL && messageId != null) {
            Map<String, String> more = new LinkedHashMap<>(c.data());
            more.put(Run.EMAIL_MESSAGE_ID, messageId);
            return new Plan.Continue(c.step(), c.dueAt(), more);
        }
        return next;
    }

    /** The {@code *.sent} event of a run's step: its id is the run's and the step's, so a second write of it is the same item. */
    static TimelineEvent sentEvent(Run run, String step, Channel channel, Instant at, String messageId, Map<String, Object> data) {
        return new TimelineEvent(sentEventId(run, step), run.contactId(),
                channel == Channel.EMAIL ? EventType.EMAIL_SENT.wire() : EventType.SMS_SENT.wire(),
                at, run.campaign(), step, messageId, data);
    }

    /** The id of the {@code *.sent} event of a run's step: what a send's guard names while it is in progress. */
    static String sentEventId(Run run, String step) {
        return EventIds.of("sent", run.contactId(), run.campaign(), run.occurrence(), step);
    }
}
