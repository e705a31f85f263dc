package dev.tandem.local.bench;

import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.local.LocalClient;
import dev.tandem.local.LocalFunctions;
import dev.tandem.local.SimClock;
import dev.tandem.local.Template;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In a fresh JVM with the heap capped (the bench runs it with -Xmx256m): seeds N contacts, launches an
 * sms-first campaign to all of them at night, so that every first step is deferred to the morning, then
 * runs the morning sweep over the N due runs (every one sends). Prints the peak heap seen during that sweep.
 */
public final class SweepHeap {
    private SweepHeap() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String table = args[1];
        Template template = Template.load(Path.of(System.getProperty("tandem.root", ".")).resolve("template.yaml"));
        Instant night = Instant.parse("2026-12-01T23:00:00Z");
        SimClock clock = new SimClock(night);
        Map<String, String> env = Map.of("TABLE_NAME", table, "SES_RATE_PER_SECOND", "100000", "SMS_RATE_PER_SECOND", "100000",
                "DECISION_ECHO", "0");
        LocalFunctions functions = new LocalFunctions(template, clock, env);
        LocalClient api = new LocalClient(functions);
        api.ok("PUT", "/templates/heap-sms", Map.of("channel", "sms", "body", "{{contact.firstName}}: the sale starts now. {{link}}"));
        api.ok("PUT", "/templates/heap-email", Map.of("channel", "email", "subject", "The sale", "body", "<p>Hi {{contact.firstName}}</p>"));
        api.ok("PUT", "/campaigns/heap", Map.of("topic", "the sale", "playbook", "sms-first", "sms", "heap-sms", "email", "heap-email",
                "link", "https://shop.example.com/sale"));
        DynamoContactStore store = new DynamoContactStore(Clients.dynamo(), StoreConfig.from(new Env(functions.environment("ApiFunction"))));
        for (int i = 0; i < n; i++) {
            Contact c = ContactDraft.from("h" + i, Map.of("phone", String.format("+1415%07d", i), "email", "h" + i + "@example.com",
                    "timezone", "UTC", "consent", Map.of("sms", "subscribed", "email", "subscribed"),
                    "attributes", Map.of("firstName", "H" + i)), "bench", night).applyTo(null, night);
            store.save(c, null);
        }
        api.ok("POST", "/campaigns/heap/launch", Map.of("launchId", "heap"));
        sweep(functions);
        System.gc();
        clock.set(night.plus(Duration.ofHours(9)));
        AtomicLong peak = new AtomicLong();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        Map<String, Object> result = sweep(functions);
        long elapsed = System.nanoTime() - started;
        sampler.interrupt();
        long pools = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.println(Json.write(Map.of("contacts", n, "counts", result.get("counts"), "finished", result.get("finished"),
                "peakHeapUsedBytes", peak.get(), "peakPoolsBytes", pools,
                "maxHeapBytes", Runtime.getRuntime().maxMemory(), "sweepSeconds", elapsed / 1e9)));
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sweep(LocalFunctions functions) {
        return (Map<String, Object>) Json.read(functions.decideAndSend("{\"source\":\"schedule\"}",
                new dev.tandem.local.LocalContext("DeciderFunction", 1800, 1024, true)), "");
    }
}
