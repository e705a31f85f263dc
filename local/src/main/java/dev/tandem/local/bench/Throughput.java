package dev.tandem.local.bench;

import dev.tandem.app.Dispatch;
import dev.tandem.app.SharedPace;
import dev.tandem.app.Sweep;
import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.Launch;
import dev.tandem.decide.LinkMaker;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.EmailSender;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.RateTokens;
import dev.tandem.port.SendQueue;
import dev.tandem.port.SmsSender;
import dev.tandem.testing.InMemoryDecisionStore;
import dev.tandem.testing.InMemoryRateTokens;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ./tandem bench --only throughput}: the real {@link Sweep} and {@link Dispatch} (the decider's and the senders'
 * code) against stand-ins for DynamoDB, SQS, SES and SNS that wait as AWS does and enforce a provider quota. One row per
 * number of concurrent senders, then a million-contact launch modelled from the measured rates of its two stages.
 *
 * <p>The latencies are what a Lambda function in the same region sees per call, median with a spread (each call waits
 * a random time between half and twice the median, skewed low): DynamoDB's published "single-digit millisecond" reads
 * and writes (GetItem and Query 4 ms, a single-item write 6 ms, BatchWriteItem 9 ms, TransactWriteItems 12 ms); SQS
 * SendMessageBatch 10 ms, and the event source's delivery of a batch to a warm function 15 ms; SES v2 SendEmail 60 ms
 * and SNS Publish to a phone number 80 ms. The DynamoDB and SQS figures are AWS's order of magnitude for
 * in-region calls, the provider figures our own estimate; they are parameters here, not measurements of AWS.
 */
final class Throughput {
    static final Map<String, Double> MILLIS = Map.ofEntries(
            Map.entry("read", 4.0), Map.entry("write", 6.0), Map.entry("batch", 9.0), Map.entry("transaction", 12.0),
            Map.entry("sqs.send", 10.0), Map.entry("sqs.deliver", 15.0), Map.entry("ses", 60.0), Map.entry("sns", 80.0));
    /** The store's operations, by the kind of DynamoDB request each one makes (the DynamoDB store's own choice). */
    static final Map<String, String> KIND = Map.ofEntries(
            Map.entry("due", "read"), Map.entry("view", "read"), Map.entry("run", "read"), Map.entry("campaign", "read"),
            Map.entry("template", "read"), Map.entry("policy", "read"), Map.entry("sentEvent", "read"), Map.entry("launch", "read"),
            Map.entry("audience", "read"), Map.entry("claim", "write"), Map.entry("links", "batch"), Map.entry("begin", "write"),
            Map.entry("end", "write"), Map.entry("recordSend", "batch+write"), Map.entry("recordFailure", "batch+write"),
            Map.entry("release", "transaction"), Map.entry("settle", "write"), Map.entry("markUnknown", "write+write"),
            Map.entry("schedule", "write"), Map.entry("advance", "write"), Map.entry("count", "write"));
    static final String BASE = "https://t.example.com";
    /** SenderFunction's event source: fifty jobs a batch; the sender sends 25 at once. */
    static final int BATCH = 50;
    static final int PARALLEL = 25;

    /** The shared rate tokens, in memory, each take a single-item DynamoDB write. */
    static RateTokens tokens(Map<String, LongAdder> calls) {
        InMemoryRateTokens memory = new InMemoryRateTokens();
        return (channel, second, n, quota) -> {
            pause("write");
            calls.computeIfAbsent("dynamodb.write (rate tokens)", x -> new LongAdder()).increment();
            return memory.take(channel, second, n, quota);
        };
    }

    /** What one row measured. */
    record Row(int senders, int messages, double perSecond, double peakSecond, long throttled, double senderGbSecondsPerMessage,
               Map<String, Long> calls) {
    }

    /** Waits as an AWS call of this kind would: between half and twice the median, more often near it. */
    static void pause(String kind) {
        double median = MILLIS.get(kind);
        double r = ThreadLocalRandom.current().nextDouble();
        double millis = median * Math.pow(2, 2 * r * r - (r < 0.5 ? 1 : 0.5));
        sleep((long) (millis * 1_000_000));
    }

    static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The decision store behind a latency per call, counting the calls of each kind. */
    static DecisionStore latent(DecisionStore store, Map<String, LongAdder> calls) {
        return (DecisionStore) Proxy.newProxyInstance(Throughput.class.getClassLoader(), new Class<?>[]{DecisionStore.class},
                (proxy, method, args) -> {
                    String kind = KIND.get(method.getName());
                    if (kind != null) {
                        for (String k : kind.split("\\+")) {
                            pause(k);
                            calls.computeIfAbsent("dynamodb." + k, x -> new LongAdder()).increment();
                        }
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A provider that answers after its latency and throttles a call that would go over its quota in any second. */
    static final class Provider {
        private final String kind;
        private final int quota;
        private final ConcurrentLinkedQueue<Long> last = new ConcurrentLinkedQueue<>();
        private final List<Long> sentAt = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong throttled = new AtomicLong();


        Provider(String kind, int quota) {
            this.kind = kind;
            this.quota = quota;
        }

        /** The quota is held at the moment of the call, which is what a sender's pacing decides; the answer comes after the latency. */
        String send() {
            long now = System.nanoTime();
            boolean over;
            synchronized (this) {
                while (!last.isEmpty() && now - last.peek() >= 1_000_000_000L) {
                    last.poll();
                }
                over = last.size() >= quota;
                if (!over) {
                    last.add(now);
                }
            }
            if (over) {
                pause(kind);
                throttled.incrementAndGet();
                throw new ProviderThrottledException(kind + " quota of " + quota + "/s");
            }
            sentAt.add(now);
            pause(kind);
            return kind + "-" + UUID.randomUUID();
        }

        List<Long> sentAt() {
            synchronized (sentAt) {
                return new ArrayList<>(sentAt);
            }
        }
    }

    /** A store of {@code n} contacts, a template and an email campaign launched to all of them at {@code at}. */
    static InMemoryDecisionStore seeded(int n, Instant at) {
        InMemoryDecisionStore store = new InMemoryDecisionStore(16);
        MessageTemplate mail = MessageTemplate.from("news", Map.of("channel", "email", "subject", "{{contact.firstName}}, this week",
                "body", "<p>Hi {{contact.firstName}}, <a href=\"https://shop.example.com/week\">this week</a>.</p>"));
        MessageTemplate text = MessageTemplate.from("nudge", Map.of("channel", "sms", "body", "{{campaign.topic}}: {{link}}"));
        store.put(mail);
        store.put(text);
        store.put(Campaign.from("week", Map.of("topic", "This week", "playbook", "email-first", "email", "news", "sms", "nudge"),
                Map.of("news", mail, "nudge", text)::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor(BASE)));
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "c%07d", i);
            store.put(ContactDraft.from(id, Map.of("email", id + "@example.com", "timezone", "UTC",
                    "consent", Map.of("email", "subscribed"), "attributes", Map.of("firstName", "C" + i)), "bench", at).applyTo(null, at));
        }
        store.launch(new Launch("week", "l1", at, null, null, null, null, 0));
        return store;
    }

    static Sweep sweep(DecisionStore store, SendQueue queue) {
        return new Sweep(store, queue, () -> UUID.randomUUID().toString(),
                new Sweep.Settings(BASE, Duration.ofHours(2), Duration.ofMinutes(3), 200, 100, 500,
                dev.tandem.decider.DeciderHandler.THREADS, 0));
    }

    /** SQS: a put waits as SendMessageBatch does, per ten jobs. */
    static SendQueue queue(ConcurrentLinkedQueue<SendQueue.Job> jobs, Map<String, LongAdder> calls) {
        return batch -> {
            for (int i = 0; i < batch.size(); i += 10) {
                pause("sqs.send");
                calls.computeIfAbsent("sqs.send", x -> new LongAdder()).increment();
            }
            jobs.addAll(batch);
        };
    }

    /**
     * Launches to {@code n} contacts and sends with {@code senders} senders, each pacing itself at its share of the
     * quota, as SenderFunction does; returns what the provider saw.
     */
    static Row run(int n, int senders, int quota) throws Exception {
        Instant at = Instant.parse("2026-12-01T17:00:00Z");
        InMemoryDecisionStore memory = seeded(n, at);
        Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        DecisionStore store = latent(memory, calls);
        ConcurrentLinkedQueue<SendQueue.Job> jobs = new ConcurrentLinkedQueue<>();
        Provider ses = new Provider("ses", quota);
        Provider sns = new Provider("sns", quota);
        AtomicBoolean decided = new AtomicBoolean();
        Thread decider = new Thread(() -> {
            sweep(store, queue(jobs, calls)).launch("week", "l1", at, () -> true);
            decided.set(true);
        }, "decider");
        decider.start();
        LongAdder senderNanos = new LongAdder();
        RateTokens tokens = tokens(calls);
        List<Thread> fleet = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Dispatch dispatch = new Dispatch(store, (EmailSender) e -> ses.send(), (SmsSender) m -> sns.send(),
                    new SharedPace(tokens, quota, quota, System::currentTimeMillis, SharedPace::sleep),
                    new Dispatch.Settings(BASE, Duration.ofHours(2), Duration.ofMinutes(3), 200, Duration.ofMinutes(1), PARALLEL, 0));
            Thread t = new Thread(() -> {
                while (true) {
                    List<SendQueue.Job> batch = new ArrayList<>();
                    SendQueue.Job j;
                    while (batch.size() < BATCH && (j = jobs.poll()) != null) {
                        batch.add(j);
                    }
                    if (batch.isEmpty()) {
                        if (decided.get() && jobs.isEmpty()) {
                            return;
                        }
                        sleep(2_000_000);
                        continue;
                    }
                    long start = System.nanoTime();
                    pause("sqs.deliver");
                    calls.computeIfAbsent("sqs.receive", x -> new LongAdder()).increment();
                    dispatch.send(batch, Instant.now());
                    senderNanos.add(System.nanoTime() - start);
                }
            }, "sender-" + s);
            t.start();
            fleet.add(t);
        }
        decider.join();
        for (Thread t : fleet) {
            t.join();
        }
        List<Long> sent = ses.sentAt();
        sent.sort(null);
        int m = sent.size();
        // The steady state: from the tenth to the ninetieth percentile of the sends, past the start and the tail.
        long from = sent.get(m / 10);
        long to = sent.get(m * 9 / 10);
        double perSecond = (m * 0.8) / ((to - from) / 1e9);
        double peak = 0;
        for (int i = 0, j = 0; i < m; i++) {
            while (sent.get(i) - sent.get(j) >= 1_000_000_000L) {
                j++;
            }
            peak = Math.max(peak, i - j + 1);
        }
        Map<String, Long> counted = new TreeMap<>();
        calls.forEach((k, v) -> counted.put(k, v.sum()));
        double gbSeconds = senderNanos.sum() / 1e9 * 0.5 / m;
        return new Row(senders, m, perSecond, peak, ses.throttled.get() + sns.throttled.get(), gbSeconds, counted);
    }

    /** Enrolment alone: the decider launching to {@code n} contacts with no sender running; contacts enrolled a second. */
    static double enrolment(int n) {
        Instant at = Instant.parse("2026-12-01T17:00:00Z");
        InMemoryDecisionStore memory = seeded(n, at);
        Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<SendQueue.Job> jobs = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        sweep(latent(memory, calls), queue(jobs, calls)).launch("week", "l1", at, () -> true);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (jobs.size() != n) {
            throw new IllegalStateException("enrolled " + jobs.size() + " of " + n);
        }
        return n / seconds;
    }

}
