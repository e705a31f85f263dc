package dev.tandem.testing;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Contact;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Run;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.DecisionStore;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decision store in memory, with the DynamoDB store's rules: runs listed on a sharded due index by time, every
 * write checked against the version or the claim read, a claim listed again at its lease's end, the contact's send
 * guard, plain event writes before the run's. For fast tests of the sweep and the sender, and for the throughput bench.
 */
public class InMemoryDecisionStore implements DecisionStore {
    /** The contacts and their timelines: the same store the API and the ingestion see. */
    public final InMemoryContactStore contacts;
    private final int shards;
    private final Map<String, Campaign> campaigns = new HashMap<>();
    private final Map<String, MessageTemplate> templates = new HashMap<>();
    private ContactPolicy policy = ContactPolicy.DEFAULT;
    private final Map<String, Stored> runs = new HashMap<>();
    /** The due index: per shard, the listed runs in (time, key) order. */
    private final Map<Integer, java.util.TreeMap<String, String>> listed = new HashMap<>();
    private final Map<String, Guard> sendGuards = new HashMap<>();
    private final Map<String, LinkItem> links = new HashMap<>();
    private final Map<String, SentMessage> lookups = new HashMap<>();
    private final Map<String, Map<String, Long>> counters = new HashMap<>();
    private final Map<String, ListedLaunch> launches = new LinkedHashMap<>();
    private final Map<String, dev.tandem.audience.Segment> segments = new HashMap<>();
    /** Entries into recurring campaigns: by contact and campaign, the last occurrence entered and when. */
    private final Map<String, Launch> entries = new HashMap<>();

    /** A run as stored: where the due index lists it (null once finished), its status and its history. */
    public record Stored(Run run, Instant listedAt, String status, List<DecisionLine> history) {
    }

    private record Guard(long seq, Pending pending) {
    }

    private record ListedLaunch(Launch launch, boolean done) {
    }

    public InMemoryDecisionStore(int shards) {
        this(shards, new InMemoryContactStore());
    }

    public InMemoryDecisionStore(int shards, InMemoryContactStore contacts) {
        this.shards = shards;
        this.contacts = contacts;
    }

    // --- definitions -------------------------------------------------------------------------------

    public synchronized void put(Campaign c) {
        campaigns.put(c.id(), c);
    }

    public synchronized void put(MessageTemplate t) {
        templates.put(t.id(), t);
    }

    public synchronized void put(ContactPolicy p) {
        policy = p;
    }

    public synchronized void put(Contact c) {
        contacts.save(c, contacts.find(c.id()).orElse(null));
    }

    public synchronized void launch(Launch l) {
        launches.put(l.campaign() + "#" + l.launchId(), new ListedLaunch(l, false));
    }

    @Override
    public synchronized Optional<Campaign> campaign(String id) {
        return Optional.ofNullable(campaigns.get(id));
    }

    @Override
    public synchronized Optional<MessageTemplate> template(String id) {
        return Optional.ofNullable(templates.get(id));
    }

    @Override
    public synchronized ContactPolicy policy() {
        return policy;
    }

    // --- what tests read ---------------------------------------------------------------------------

    public synchronized Optional<Stored> stored(String contactId, String campaign, String occurrence) {
        return Optional.ofNullable(runs.get(key(contactId, campaign, occurrence)));
    }

    public synchronized Map<String, Long> stats(String campaign) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.startsWith(campaign + "#")) {
                v.forEach((name, n) -> out.merge(name, n, Long::sum));
            }
        });
        return out;
    }

    public synchronized List<LinkItem> linkItems() {
        return List.copyOf(links.values());
    }

    public synchronized Optional<Pending> pending(String contactId) {
        Guard g = sendGuards.get(contactId);
        return g == null ? Optional.empty() : Optional.ofNullable(g.pending());
    }

    // --- due work ----------------------------------------------------------------------------------

    @Override
    public int shards() {
        return shards;
    }

    private int shardOf(String contactId) {
        return Math.floorMod(contactId.hashCode(), shards);
    }

    private static String key(String contactId, String campaign, String occurrence) {
        return contactId + "|" + campaign + "|" + occurrence;
    }

    private static String key(Run r) {
        return key(r.contactId(), r.campaign(), r.occurrence());
    }

    /** Stores a run (or removes it, for null) and keeps the due index in step. */
    private void put(String key, Stored stored) {
        Stored before = stored == null ? runs.remove(key) : runs.put(key, stored);
        if (before != null && before.listedAt() != null) {
            listed.get(shardOf(before.run().contactId())).remove(sortKey(before.listedAt(), key));
        }
        if (stored != null && stored.listedAt() != null) {
            listed.computeIfAbsent(shardOf(stored.run().contactId()), x -> new java.util.TreeMap<>()).put(sortKey(stored.listedAt(), key), key);
        }
    }

    private static String sortKey(Instant at, String key) {
        return String.format(java.util.Locale.ROOT, "%020d|%s", at.toEpochMilli(), key);
    }

    @Override
    public synchronized DuePage due(int shard, Instant now, String cursor, int limit) {
        List<Object> items = new ArrayList<>();
        if (shard == 0 && cursor == null) {
            launches.forEach((k, l) -> {
                if (!l.done() && !l.launch().at().isAfter(now)) {
                    items.add(l.launch());
                }
            });
        }
        java.util.TreeMap<String, String> index = listed.getOrDefault(shard, new java.util.TreeMap<>());
        String until = String.format(java.util.Locale.ROOT, "%020d|~", now.toEpochMilli());
        String last = null;
        for (Map.Entry<String, String> e : (cursor == null ? index.headMap(until, true) : index.subMap(cursor, false, until, true)).entrySet()) {
            if (items.size() >= limit) {
                return new DuePage(items, last);
            }
            items.add(runs.get(e.getValue()).run());
            last = e.getKey();
        }
        return new DuePage(items, null);
    }

    @Override
    public synchronized Optional<SendView> view(String contactId, Instant since, int newest) {
        Guard g = sendGuards.get(contactId);
        return contacts.view(contactId, since, newest)
                .map(v -> new SendView(v, g == null ? 0 : g.seq(), g == null ? null : g.pending()));
    }

    @Override
    public synchronized Optional<Run> run(String contactId, String campaign, String occurrence) {
        return Optional.ofNullable(runs.get(key(contactId, campaign, occurrence))).map(Stored::run);
    }

    // --- claims and sends --------------------------------------------------------------------------

    @Override
    public synchronized boolean claim(Run run, Run.Claim claim, List<LinkItem> items) {
        Stored s = runs.get(key(run));
        if (run.isNew() ? s != null : s == null || s.run().version() != run.version() || s.run().claim() != null) {
            return false;
        }
        Run claimed = with(run, run.step(), run.dueAt(), run.armed(), run.data(), run.isNew() ? 0 : run.version() + 1, claim);
        put(key(run), new Stored(claimed, run.dueAt(), "due", s == null ? List.of() : s.history()));
        return true;
    }

    @Override
    public synchronized void links(List<LinkItem> items) {
        items.forEach(l -> links.put(l.kind() + "#" + l.code(), l));
    }

    @Override
    public synchronized boolean begin(String contactId, long seenSequence, Pending pending) {
        Guard g = sendGuards.get(contactId);
        if ((g == null ? 0 : g.seq()) != seenSequence) {
            return false;
        }
        sendGuards.put(contactId, new Guard(seenSequence + 1, pending));
        return true;
    }

    @Override
    public synchronized void end(String contactId, String token) {
        Guard g = sendGuards.get(contactId);
        if (g != null && g.pending() != null && g.pending().token().equals(token)) {
            sendGuards.put(contactId, new Guard(g.seq(), null));
        }
    }

    @Override
    public synchronized Optional<TimelineEvent> sentEvent(Run run, Pending pending) {
        return contacts.events(run.contactId()).stream().filter(e -> e.eventId().equals(pending.eventId())).findFirst();
    }

    @Override
    public void recordSend(Run run, Run.Claim claim, TimelineEvent sent, SentMessage lookup, Plan.Next next, List<DecisionLine> lines) {
        synchronized (this) {
            if (contacts.events(run.contactId()).stream().noneMatch(e -> e.eventId().equals(sent.eventId()))) {
                contacts.add(sent);
            }
            if (lookup != null) {
                lookups.put(lookup.messageId(), lookup);
            }
        }
        // The run's own write is a request of its own, after the event's: a sender can stop in between.
        afterEvent(run);
        synchronized (this) {
            moveClaimed(run, claim, next, lines);
        }
    }

    /** Where a test stops a sender between a sent message's event and its run. */
    protected void afterEvent(Run run) {
    }

    @Override
    public synchronized void recordFailure(Run run, Run.Claim claim, TimelineEvent failure, Plan.Next next, List<DecisionLine> lines) {
        contacts.add(failure);
        moveClaimed(run, claim, next, lines);
    }

    public synchronized Optional<SentMessage> lookup(String messageId) {
        return Optional.ofNullable(lookups.get(messageId));
    }

    private boolean moveClaimed(Run run, Run.Claim claim, Plan.Next next, List<DecisionLine> lines) {
        Stored s = runs.get(key(run));
        if (s == null || s.run().claim() == null || !s.run().claim().token().equals(claim.token())) {
            return false;
        }
        apply(s, next, lines);
        return true;
    }

    @Override
    public synchronized boolean release(Run run, Run.Claim claim, Instant dueAt) {
        Stored s = runs.get(key(run));
        Guard g = sendGuards.get(run.contactId());
        if (s == null || s.run().claim() == null || !s.run().claim().token().equals(claim.token())
                || g != null && g.pending() != null && g.pending().token().equals(claim.token())) {
            return false;
        }
        Run r = s.run();
        put(key(run), new Stored(with(r, r.step(), dueAt, r.armed(), r.data(), r.version() + 1, null), dueAt, "due", s.history()));
        return true;
    }

    @Override
    public synchronized boolean settle(Run run, Plan.Next next, List<DecisionLine> lines) {
        Stored s = runs.get(key(run));
        if (run.claim() != null) {
            if (s == null || s.run().claim() == null || !s.run().claim().token().equals(run.claim().token())) {
                return false;
            }
        } else if (run.isNew()) {
            if (next instanceof Plan.Drop) {
                return true;
            }
            if (s != null) {
                return false;
            }
            s = new Stored(with(run, run.step(), run.dueAt(), run.armed(), run.data(), -1, null), run.dueAt(), "due", List.of());
        } else if (s == null || s.run().version() != run.version() || s.run().claim() != null) {
            return false;
        }
        if (next instanceof Plan.Drop) {
            put(key(run), null);
            return true;
        }
        apply(s, next, lines);
        return true;
    }

    @Override
    public synchronized boolean markUnknown(Run run) {
        Stored s = runs.get(key(run));
        boolean moved = false;
        if (s != null && s.run().claim() != null && s.run().claim().token().equals(run.claim().token())) {
            apply(s, new Plan.Finish("unknown"), List.of());
            moved = true;
        }
        end(run.contactId(), run.claim().token());
        return moved;
    }

    @Override
    public synchronized boolean schedule(Run run) {
        if (runs.containsKey(key(run))) {
            return false;
        }
        put(key(run), new Stored(with(run, run.step(), run.dueAt(), run.armed(), run.data(), 0, null), run.dueAt(), "due", List.of()));
        return true;
    }

    @Override
    public synchronized void count(String campaign, String contactId, Map<String, Long> add) {
        Map<String, Long> c = counters.computeIfAbsent(campaign + "#" + shardOf(contactId), k -> new TreeMap<>());
        add.forEach((k, v) -> c.merge(k, v, Long::sum));
    }

    private void apply(Stored s, Plan.Next next, List<DecisionLine> lines) {
        Run r = s.run();
        List<DecisionLine> history = new ArrayList<>(s.history());
        history.addAll(lines);
        long v = r.version() + 1;
        Stored after;
        if (next instanceof Plan.Continue c) {
            Map<String, String> data = new LinkedHashMap<>(r.data());
            c.data().forEach((k, x) -> {
                if (x != null) {
                    data.put(k, x);
                }
            });
            after = new Stored(with(r, c.step(), c.dueAt(), r.armed(), data, v, null), c.dueAt(), "due", history);
        } else if (next instanceof Plan.Wait w) {
            after = new Stored(with(r, r.step(), w.dueAt(), w.armed(), r.data(), v, null), w.dueAt(), "due", history);
        } else if (next instanceof Plan.Finish f) {
            after = new Stored(with(r, r.step(), r.dueAt(), r.armed(), r.data(), v, null), null, f.status(), history);
        } else {
            throw new IllegalArgumentException("not a stored next: " + next);
        }
        put(key(r), after);
    }

    private static Run with(Run r, String step, Instant due, boolean armed, Map<String, String> data, long version, Run.Claim claim) {
        return new Run(r.contactId(), r.campaign(), r.occurrence(), r.kind(), step, r.startedAt(), due, armed, data, version, claim);
    }

    // --- launches ----------------------------------------------------------------------------------

    @Override
    public synchronized Optional<Launch> launch(String campaign, String launchId) {
        ListedLaunch l = launches.get(campaign + "#" + launchId);
        return l == null || l.done() ? Optional.empty() : Optional.of(l.launch());
    }

    @Override
    public synchronized AudiencePage audience(Launch launch, int limit) {
        List<String> all = launch.everyone() ? contacts.ids() : launch.audience();
        int from = 0;
        if (launch.cursor() != null) {
            from = launch.everyone() ? (int) all.stream().filter(id -> id.compareTo(launch.cursor()) <= 0).count()
                    : Integer.parseInt(launch.cursor());
        }
        int to = Math.min(all.size(), from + limit);
        String next = to >= all.size() ? null : launch.everyone() ? all.get(to - 1) : Integer.toString(to);
        return new AudiencePage(all.subList(from, to), next);
    }

    @Override
    public synchronized boolean advance(Launch launch, String next) {
        String k = launch.campaign() + "#" + launch.launchId();
        ListedLaunch l = launches.get(k);
        if (l == null || l.done() || l.launch().version() != launch.version()) {
            return false;
        }
        Launch moved = launch.advanced(next);
        launches.put(k, new ListedLaunch(moved, next == null));
        return true;
    }

    // --- audiences -------------------------------------------------------------------------------

    @Override
    public synchronized MemberPage members(int shard, String cursor, int limit) {
        List<String> ids = contacts.ids().stream()
                .filter(id -> Math.floorMod(id.hashCode(), shards) == shard)
                .filter(id -> cursor == null || id.compareTo(cursor) > 0)
                .sorted().toList();
        List<dev.tandem.audience.Member> page = new ArrayList<>();
        for (String id : ids.subList(0, Math.min(limit, ids.size()))) {
            Contact c = contacts.find(id).orElseThrow();
            page.add(new dev.tandem.audience.Member(c, null));
        }
        String next = ids.size() > limit ? page.get(page.size() - 1).contact().id() : null;
        return new MemberPage(page, next);
    }

    /** The summaries as the store would keep them: computed from each timeline; a contact with no event has none. */
    @Override
    public synchronized Map<String, dev.tandem.audience.Engagement> engagement(java.util.Collection<String> ids) {
        Map<String, dev.tandem.audience.Engagement> out = new HashMap<>();
        for (String id : ids) {
            List<TimelineEvent> events = contacts.events(id);
            if (!events.isEmpty()) {
                out.put(id, dev.tandem.audience.Engagement.of(events));
            }
        }
        return out;
    }

    @Override
    public synchronized void putSegment(dev.tandem.audience.Segment segment) {
        segments.put(segment.id(), segment);
    }

    @Override
    public synchronized Optional<dev.tandem.audience.Segment> segment(String id) {
        return Optional.ofNullable(segments.get(id));
    }

    @Override
    public synchronized boolean occur(Launch recurrence, Launch occurrence, dev.tandem.campaign.Recurrence.Occurrence next) {
        String k = recurrence.campaign() + "#" + recurrence.launchId();
        ListedLaunch l = launches.get(k);
        if (l == null || l.done() || l.launch().version() != recurrence.version()) {
            return false;
        }
        launches.putIfAbsent(occurrence.campaign() + "#" + occurrence.launchId(), new ListedLaunch(
                new Launch(occurrence.campaign(), occurrence.launchId(), occurrence.at(), occurrence.localAt(), occurrence.zone(),
                        occurrence.audience(), null, 0, occurrence.segment(), occurrence.parent(), false), false));
        Launch r = recurrence;
        launches.put(k, next == null ? new ListedLaunch(r, true) : new ListedLaunch(new Launch(r.campaign(), r.launchId(),
                next.at(), next.local(), r.zone(), r.audience(), null, r.version() + 1, r.segment(), null, true), false));
        return true;
    }

    @Override
    public synchronized boolean enter(String contactId, Launch occurrence, java.time.Duration reentry) {
        String k = contactId + "#" + occurrence.campaign();
        Launch last = entries.get(k);
        boolean may = last == null || last.launchId().equals(occurrence.launchId())
                || (reentry != null && !last.at().plus(reentry).isAfter(occurrence.at()));
        if (may) {
            entries.put(k, occurrence);
        }
        return may;
    }

    private final java.util.Set<String> converted = new java.util.HashSet<>();

    @Override
    public synchronized List<RunHistory> runsOf(String contactId) {
        List<RunHistory> out = new ArrayList<>();
        for (Stored st : runs.values()) {
            Run r = st.run();
            if (r.contactId().equals(contactId)) {
                out.add(new RunHistory(r.campaign(), r.occurrence(), r.kind(), r.startedAt(),
                        st.history().stream().map(DecisionLine::toMap).toList()));
            }
        }
        return out;
    }

    @Override
    public synchronized boolean convert(String contactId, String campaign, String occurrence, Instant at, Map<String, Long> counters) {
        if (!converted.add(contactId + "#" + campaign + "#" + occurrence)) {
            return false;
        }
        count(campaign, contactId, counters);
        return true;
    }
}
