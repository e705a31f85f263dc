package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import dev.tandem.decide.Decider;
import dev.tandem.decide.DecisionLine;
import dev.tandem.port.DecisionStore;
import dev.tandem.render.Renderer;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one invocation of the decider or of a sender, shared by its threads: the definitions read once,
 * the decision lines and counts, the campaign counters to write when a batch is done, the channels a provider
 * refused as a whole.
 */
final class Pass {
    final Instant now;
    private final DecisionStore store;
    private final int echoLimit;
    private volatile Decider decider;
    private final Map<String, Optional<Campaign>> campaigns = new ConcurrentHashMap<>();
    private final Map<String, Optional<dev.tandem.audience.Segment>> segments = new ConcurrentHashMap<>();
    private final Map<String, Optional<MessageTemplate>> definitions = new ConcurrentHashMap<>();
    private final Map<String, Renderer.Compiled> templates = new ConcurrentHashMap<>();
    private final List<DecisionLine> lines = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Set<Channel> paused = Collections.synchronizedSet(EnumSet.noneOf(Channel.class));
    /** campaign -> counter -> count, and one contact of the campaign whose stats shard takes them. */
    private final Map<String, Map<String, Long>> tally = new HashMap<>();
    private final Map<String, String> tallyShard = new HashMap<>();
    final AtomicInteger storeFailuresInARow = new AtomicInteger();
    private final java.util.Set<String> contacts = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.BooleanSupplier timeLeft = () -> true;

    Pass(Instant now, DecisionStore store, int echoLimit) {
        this.now = now;
        this.store = store;
        this.echoLimit = echoLimit;
    }

    /** The decider with the policy, read once a pass has something to decide: an empty pass reads neither. */
    Decider decider() {
        Decider d = decider;
        if (d == null) {
            synchronized (this) {
                if (decider == null) {
                    decider = new Decider(store.policy());
                }
                d = decider;
            }
        }
        return d;
    }

    Optional<Campaign> campaign(String id) {
        Optional<Campaign> c = campaigns.get(id);
        if (c == null) {
            c = Campaign.SMS_OPT_IN.equals(id)
                    ? Optional.of(Campaign.smsOptIn(decider().policy().smsOptInTemplate()))
                    : store.campaign(id);
            campaigns.putIfAbsent(id, c);
        }
        return c;
    }

    /** A segment as stored, read once a pass. */
    Optional<dev.tandem.audience.Segment> segment(String id) {
        return segments.computeIfAbsent(id, store::segment);
    }

    void knownCampaign(Campaign c) {
        campaigns.put(c.id(), Optional.of(c));
    }

    /** A template as stored, read and compiled once a pass; one that is gone or cannot compile fails its message. */
    Renderer.Compiled template(String id) {
        Renderer.Compiled t = templates.get(id);
        if (t == null) {
            Optional<MessageTemplate> def = definitions.get(id);
            if (def == null) {
                def = store.template(id);
                definitions.putIfAbsent(id, def);
            }
            t = Renderer.compile(def.orElseThrow(() -> new InvalidInputException("template", "template " + id + " is gone")));
            templates.putIfAbsent(id, t);
        }
        return t;
    }

    /**
     * Takes a contact for this pass: true for the first of its runs, false for the others, which wait for the next
     * pass. A contact's runs are decided one after another, each seeing what the one before it sent.
     */
    boolean reserve(String contactId) {
        return contacts.add(contactId);
    }

    void timeLeft(java.util.function.BooleanSupplier t) {
        timeLeft = t;
    }

    /** Whether the invocation still has time to start a piece of work. */
    boolean timeLeft() {
        return timeLeft.getAsBoolean();
    }

    void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    void add(String what, int n) {
        counts.merge(what, n, Integer::sum);
    }

    int count(String what, int fallback) {
        return counts.getOrDefault(what, fallback);
    }

    void emit(List<DecisionLine> ls) {
        for (DecisionLine l : ls) {
            count(l.action());
            synchronized (lines) {
                if (lines.size() < echoLimit) {
                    lines.add(l);
                }
            }
        }
    }

    boolean paused(Channel ch) {
        return paused.contains(ch);
    }

    void pause(Channel ch) {
        paused.add(ch);
    }

    /** Counts for the campaign's stats, written by {@link #flushCounters} once the work they count is written. */
    void tally(String campaign, String contactId, List<String> counters) {
        if (counters.isEmpty()) {
            return;
        }
        synchronized (tally) {
            Map<String, Long> c = tally.computeIfAbsent(campaign, k -> new TreeMap<>());
            tallyShard.putIfAbsent(campaign, contactId);
            for (String name : counters) {
                c.merge(name, 1L, Long::sum);
            }
        }
    }

    /** Writes the counters tallied so far, one write per campaign. */
    void flushCounters() {
        Map<String, Map<String, Long>> out;
        Map<String, String> shards;
        synchronized (tally) {
            if (tally.isEmpty()) {
                return;
            }
            out = new HashMap<>(tally);
            shards = new HashMap<>(tallyShard);
            tally.clear();
            tallyShard.clear();
        }
        out.forEach((campaign, counters) -> store.count(campaign, shards.get(campaign), counters));
    }

    List<DecisionLine> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    Map<String, Integer> counts() {
        return Map.copyOf(new TreeMap<>(counts));
    }

    Set<Channel> pausedChannels() {
        synchronized (paused) {
            return Set.copyOf(paused);
        }
    }
}
