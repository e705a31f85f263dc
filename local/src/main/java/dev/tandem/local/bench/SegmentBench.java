package dev.tandem.local.bench;

import dev.tandem.app.SegmentService;
import dev.tandem.audience.Engagement;
import dev.tandem.aws.Env;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoCampaignStore;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.DynamoSummaries;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.local.Bootstrap;
import dev.tandem.local.RequestCounter;
import dev.tandem.local.Template;
import dev.tandem.timeline.TimelineEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A segment's evaluation over many contacts on the emulator: contacts with attributes, and for half of them an
 * engagement summary of a month of a daily campaign; then a count of a segment of attributes, reachability, an event
 * in a window and a "has not", through the real store. Prints the time, the queries, and the bytes and read units read,
 * from which BENCHMARKS.md models a million contacts on DynamoDB.
 */
final class SegmentBench {
    static final Instant NOW = Instant.parse("2026-12-01T17:00:00Z");

    record Figures(int contacts, double seedSeconds, double countSeconds, long count, long queries, double readUnits,
                   double profileBytes, double summaryBytes) {
    }

    static Figures run(Template template, int n, int threads) throws Exception {
        String table = new Bootstrap(template).tableCopy("TandemTable", "bench-seg-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(template.environment("ApiFunction"));
            env.put("TABLE_NAME", table);
            StoreConfig config = StoreConfig.from(new Env(env));
            DynamoContactStore contacts = new DynamoContactStore(Clients.dynamo(), config);
            DynamoDecisionStore store = new DynamoDecisionStore(Clients.dynamo(), config, contacts,
                    new DynamoCampaignStore(Clients.dynamo(), config));
            DynamoSummaries summaries = new DynamoSummaries(Clients.dynamo(), config);

            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> work = new ArrayList<>();
            int chunk = 500;
            for (int from = 0; from < n; from += chunk) {
                int start = from;
                work.add(pool.submit(() -> {
                    for (int i = start; i < Math.min(n, start + chunk); i++) {
                        String id = String.format("m%07d", i);
                        contacts.save(contact(id, i), null);
                        if (i % 2 == 0) {
                            summaries.add(id, month(id, i), NOW);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            double seed = (System.nanoTime() - t0) / 1e9;

            store.putSegment(dev.tandem.audience.Segment.from("bench", Map.of("where", Map.of("all", List.of(
                    Map.of("attr", "tier", "eq", "gold"),
                    Map.of("attr", "spend", "gte", 100),
                    Map.of("channel", "email", "reachable", true),
                    Map.of("event", "email.click", "within", "P30D"),
                    Map.of("event", "conversion", "within", "P7D", "max", 0))))));
            double[] sizes = ItemSizes.average(table);
            long expected = 0;
            for (int i = 0; i < n; i++) {
                if (matches(i)) {
                    expected++;
                }
            }
            return count(store, n, seed, sizes, expected);
        } finally {
            new Bootstrap(template).dropTable(table);
        }
    }

    /**
     * The count over contacts the import phase wrote ({@code b0}, {@code b1}, ...; gold when even; rows 7, 107 and 207 of
     * every 300 refused): every tenth gets a month of engagement, then a segment of gold, email reachable, clicked in
     * 30 days and no purchase this week is counted.
     */
    static Figures overImported(Template template, String table, int n) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(template.environment("ApiFunction"));
        env.put("TABLE_NAME", table);
        StoreConfig config = StoreConfig.from(new Env(env));
        DynamoContactStore contacts = new DynamoContactStore(Clients.dynamo(), config);
        DynamoDecisionStore store = new DynamoDecisionStore(ItemSizes.PATIENT, config, contacts, new DynamoCampaignStore(ItemSizes.PATIENT, config));
        DynamoSummaries summaries = new DynamoSummaries(Clients.dynamo(), config);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i += 10) {
            if (imported(i)) {
                summaries.add("b" + i, month("b" + i, i), NOW);
            }
        }
        double seed = (System.nanoTime() - t0) / 1e9;
        // The segment first: a write after the first index query would have the emulator index the table again.
        store.putSegment(dev.tandem.audience.Segment.from("bench", Map.of("where", Map.of("all", List.of(
                Map.of("attr", "tier", "eq", "gold"),
                Map.of("channel", "email", "reachable", true),
                Map.of("event", "email.click", "within", "P30D"),
                Map.of("event", "conversion", "within", "P7D", "max", 0))))));
        double[] sizes = ItemSizes.average(table);
        long expected = 0;
        for (int i = 0; i < n; i += 10) {
            if (imported(i) && i % 3 == 0 && i % 7 != 0) {
                expected++;
            }
        }
        return count(store, n, seed, sizes, expected);
    }

    private static boolean imported(int i) {
        int r = i % 300;
        return r != 7 && r != 107 && r != 207;
    }

    private static Figures count(DynamoDecisionStore store, int n, double seed, double[] sizes, long expected) {
        // One shard at a time: the emulator answers one request at a time.
        SegmentService segments = new SegmentService(store, 1);
        Map<String, Long> before = RequestCounter.INSTANCE.snapshot();
        double[] units = UnitMeter.INSTANCE.snapshot();
        long c0 = System.nanoTime();
        long count = segments.count("bench", NOW);
        double countSeconds = (System.nanoTime() - c0) / 1e9;
        double read = UnitMeter.INSTANCE.snapshot()[1] - units[1];
        long queries = RequestCounter.INSTANCE.snapshot().getOrDefault("DynamoDb.Query", 0L) - before.getOrDefault("DynamoDb.Query", 0L);
        if (count != expected) {
            throw new IllegalStateException("the segment counted " + count + " members, the generator made " + expected);
        }
        return new Figures(n, seed, countSeconds, count, queries, read, sizes[0], sizes[1]);
    }

    /** The generator's own answer: gold (i % 4 == 0), spend >= 100 (i % 10 >= 1), engaged (even), clicked (i % 3 == 0), not bought (i % 7 != 0). */
    static boolean matches(int i) {
        return i % 4 == 0 && (i % 10) * 20 >= 100 && i % 2 == 0 && i % 3 == 0 && i % 7 != 0;
    }

    static Contact contact(String id, int i) {
        return ContactDraft.from(id, Map.of("email", id + "@example.com", "phone", String.format("+1650%07d", i),
                "timezone", "America/Los_Angeles", "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", Map.of("firstName", "M" + i, "tier", i % 4 == 0 ? "gold" : "silver", "country", "CA",
                        "spend", (i % 10) * 20, "signup", "2025-0" + (1 + i % 9) + "-01", "plan", "monthly")), "bench", NOW)
                .applyTo(null, NOW);
    }

    /** A month of a daily email campaign: 30 sends and deliveries, 10 opens; clicks when i % 3 == 0; a purchase when i % 7 == 0. */
    static List<TimelineEvent> month(String id, int i) {
        List<TimelineEvent> events = new ArrayList<>();
        for (int d = 1; d <= 30; d++) {
            Instant at = NOW.minus(Duration.ofDays(d));
            events.add(e(id, "email.sent", at, "daily"));
            events.add(e(id, "email.delivered", at.plusSeconds(5), "daily"));
            if (d % 3 == 0) {
                events.add(e(id, "email.open", at.plusSeconds(3600), "daily"));
            }
        }
        if (i % 3 == 0) {
            events.add(e(id, "email.click", NOW.minus(Duration.ofDays(4)), "daily"));
        }
        if (i % 7 == 0) {
            events.add(e(id, "conversion", NOW.minus(Duration.ofDays(2)), null));
        }
        return events;
    }

    private static TimelineEvent e(String id, String type, Instant at, String campaign) {
        return new TimelineEvent(type + "-" + id + "-" + at.getEpochSecond(), id, type, at, campaign, null, null, Map.of());
    }

    static String engagementNote() {
        return "summaries keep the newest " + Engagement.KEEP + " of each type";
    }
}
