package dev.tandem.local.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import dev.tandem.local.Bootstrap;
import dev.tandem.local.LocalClient;
import dev.tandem.local.LocalFunctions;
import dev.tandem.local.Notifications;
import dev.tandem.local.RequestCounter;
import dev.tandem.local.Scenario;
import dev.tandem.local.SimClock;
import dev.tandem.local.Simulator;
import dev.tandem.local.Template;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ./tandem bench}: cold start, warm latency and size per function, the engine's and ingestion's
 * throughput, AWS requests per message lifecycle, a 1,000-contact simulation and the heap of a large sweep.
 * Prints one table. Quick by default; {@code --full} for the long runs.
 */
public final class Bench {
    private static final List<String> FUNCTIONS = List.of("ApiFunction", "EmailEventsFunction", "SmsEventsFunction", "DeciderFunction",
            "SenderFunction");
    private static final Map<String, String> JARS = Map.of(
            "ApiFunction", "functions/api/target/api-function.jar",
            "EmailEventsFunction", "functions/email-events/target/email-events-function.jar",
            "SmsEventsFunction", "functions/sms-events/target/sms-events-function.jar",
            "DeciderFunction", "functions/decider/target/decider-function.jar",
            "SenderFunction", "functions/sender/target/sender-function.jar");
    private static final Map<String, String> EVENTS = Map.of(
            "ApiFunction", "events/api-get-contact.json",
            "EmailEventsFunction", "events/ses-open-human.json",
            "SmsEventsFunction", "events/sms-status-delivered.json",
            "DeciderFunction", "events/decider-schedule.json",
            "SenderFunction", "events/sender-jobs.json");

    private final Path root;
    private final boolean full;
    private final List<String> only;
    private final Template template;
    private final List<String[]> rows = new ArrayList<>();
    /** Rows the import phase generates ({@code --rows N}). */
    private static int importRows;

    private Bench(Path root, boolean full, List<String> only) {
        this.root = root;
        this.full = full;
        this.only = only;
        this.template = Template.load(root.resolve("template.yaml"));
    }

    public static void main(String[] args) throws Exception {
        Sdk.addInterceptor(RequestCounter.INSTANCE);
        Sdk.addInterceptor(UnitMeter.INSTANCE);
        Sdk.addInterceptor(RequestTimer.INSTANCE);
        boolean full = List.of(args).contains("--full");
        // segments and import seed their own contacts on the emulator, minutes each: they run when asked for (--only).
        List<String> only = List.of("sizes", "cold", "warm", "http", "jmh", "throughput", "requests", "simulate", "heap");
        int rows = 100_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only") && i + 1 < args.length) {
                only = List.of(args[++i].split(","));
            } else if (args[i].equals("--rows") && i + 1 < args.length) {
                rows = Integer.parseInt(args[++i]);
            }
        }
        importRows = rows;
        Path root = Path.of(System.getProperty("tandem.root", ".")).toAbsolutePath().normalize();
        new Bench(root, full, only).run();
        System.exit(0);
    }

    private void row(String what, String figure, String goal) {
        rows.add(new String[]{what, figure, goal});
        System.err.printf("  %-62s %s%n", what, figure);
    }

    private void run() throws Exception {
        System.err.println("tandem bench (" + (full ? "full" : "quick") + "): " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version"));
        String table = new Bootstrap(template).tableCopy("TandemTable", "bench-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, String> env = new LinkedHashMap<>(Map.of("TABLE_NAME", table, "SES_RATE_PER_SECOND", "100000",
                "SMS_RATE_PER_SECOND", "100000", "DECISION_ECHO", "0"));
        SimClock clock = new SimClock(Instant.parse("2026-12-01T17:00:00Z"));
        LocalFunctions functions = new LocalFunctions(template, clock, env);
        LocalClient api = new LocalClient(functions);
        api.ok("PUT", "/contacts/c1", Files.readString(root.resolve("events/api-put-contact.json"))
                .transform(s -> (String) ((Map<?, ?>) Json.read(s, "")).get("body")));
        if (only.contains("sizes")) {
            sizes();
        }
        if (only.contains("cold")) {
            coldStarts(env);
        }
        if (only.contains("warm")) {
            warm(functions, clock);
        }
        if (only.contains("http")) {
            httpClients(table);
        }
        if (only.contains("jmh")) {
            jmh();
        }
        if (only.contains("throughput")) {
            throughput();
        }
        if (only.contains("requests")) {
            requests(table);
        }
        if (only.contains("simulate")) {
            simulation();
        }
        if (only.contains("heap")) {
            heap();
        }
        if (only.contains("import")) {
            // With segments asked for too, the segment is counted over the imported contacts.
            importFile(importRows, only.contains("segments"));
        }
        if (only.contains("segments")) {
            segments();
        }
        new Bootstrap(template).dropTable(table);
        System.out.println();
        System.out.printf("| %-62s | %-40s | %-22s |%n", "measure", "figure", "goal");
        System.out.printf("|%s|%s|%s|%n", "-".repeat(64), "-".repeat(42), "-".repeat(24));
        for (String[] r : rows) {
            System.out.printf("| %-62s | %-40s | %-22s |%n", r[0], r[1], r[2]);
        }
    }

    // --- size ----------------------------------------------------------------------------------

    private void sizes() {
        for (String fn : FUNCTIONS) {
            long bytes = root.resolve(JARS.get(fn)).toFile().length();
            row("deployable size, " + fn, megabytes(bytes), "<= 10 MB");
        }
        // Each one answers its sample event from that very jar: the cold-start rows run them.
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    // --- cold start ----------------------------------------------------------------------------

    private String runnerClasspath(String jar) {
        List<String> cp = new ArrayList<>();
        cp.add(root.resolve(jar).toString());
        cp.add(root.resolve("local/target/classes").toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("aws-lambda-java-serialization") || entry.contains("joda-time")) {
                cp.add(entry);
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    private void coldStarts(Map<String, String> overrides) throws Exception {
        int runs = full ? 11 : 5;
        for (String fn : FUNCTIONS) {
            List<Long> times = new ArrayList<>();
            String response = null;
            for (int i = 0; i < runs; i++) {
                FirstLine run = coldRun(fn, JARS.get(fn), overrides);
                if (!run.answered()) {
                    throw new IllegalStateException(fn + " did not answer from its deployable jar (exit " + run.exit() + ")");
                }
                response = run.line();
                times.add(run.millis());
            }
            row("cold start to first response, " + fn + " (median of " + runs + " JVMs)", spread(times), "<= 600 ms");
            System.err.println("    " + fn + " answered: " + abbreviate(response));
            row("  the same with an AppCDS archive of one training run", coldWithCds(fn, overrides, runs), "(what SnapStart does better)");
        }
    }

    /** One fresh JVM running a function from a jar on the sample event. */
    private FirstLine coldRun(String fn, String jar, Map<String, String> overrides) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-cp", runnerClasspath(jar),
                ColdStartRunner.class.getName(), template.handlerClass(fn), root.resolve(EVENTS.get(fn)).toString());
        pb.environment().clear();
        pb.environment().putAll(new LocalFunctions(template, java.time.Clock.systemUTC(), overrides).environment(fn));
        return firstLine(pb);
    }

    /** A fresh JVM's first line of output, the milliseconds from its start to that line, and its exit status. */
    private record FirstLine(String line, long millis, int exit) {
        boolean answered() {
            return line != null && exit == 0;
        }
    }

    private static FirstLine firstLine(ProcessBuilder pb) throws Exception {
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            line = r.readLine();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new FirstLine(line, millis, p.waitFor());
    }

    /** The median of some timings, with their range. */
    private static String spread(List<Long> times) {
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2) + " ms (min " + sorted.get(0) + ", max " + sorted.get(sorted.size() - 1) + ")";
    }

    /**
     * The same cold start with an application class-data archive, dumped by one training run: how much of the
     * cold start is class loading. CDS needs jars on the class path, so the runner goes in a jar of its own.
     */
    private String coldWithCds(String fn, Map<String, String> overrides, int runs) throws Exception {
        Path dir = Files.createTempDirectory("tandem-cds");
        Path runner = dir.resolve("runner.jar");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(runner))) {
            String name = ColdStartRunner.class.getName().replace('.', '/') + ".class";
            jar.putNextEntry(new java.util.jar.JarEntry(name));
            jar.write(Files.readAllBytes(root.resolve("local/target/classes").resolve(name)));
            jar.closeEntry();
        }
        String cp = runnerClasspath(JARS.get(fn)).replace(root.resolve("local/target/classes").toString(), runner.toString());
        Path archive = dir.resolve(fn + ".jsa");
        Map<String, String> env = new LocalFunctions(template, java.time.Clock.systemUTC(), overrides).environment(fn);
        List<Long> times = new ArrayList<>();
        for (int i = -1; i < runs; i++) {
            List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", cp));
            cmd.add(1, i < 0 ? "-XX:ArchiveClassesAtExit=" + archive : "-XX:SharedArchiveFile=" + archive);
            cmd.addAll(List.of(ColdStartRunner.class.getName(), template.handlerClass(fn), root.resolve(EVENTS.get(fn)).toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().clear();
            pb.environment().putAll(env);
            FirstLine run = firstLine(pb);
            if (i >= 0) {
                times.add(run.millis());
            }
        }
        return spread(times);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 140 ? s.substring(0, 140) + "..." : s;
    }

    // --- warm latency --------------------------------------------------------------------------

    private void warm(LocalFunctions functions, SimClock clock) throws Exception {
        int n = full ? 500 : 100;
        LocalClient api = new LocalClient(functions);
        latency("ApiFunction (GET /contacts/{id})", n, i -> api.ok("GET", "/contacts/c1", null));
        Map<String, Object> mail = Notifications.mail("bench-message", "ana@example.com", clock.instant(), "Hi",
                Map.of("tandem-contact", "c1", "tandem-campaign", "bench", "tandem-step", "email"));
        latency("EmailEventsFunction (one open)", n, i -> {
            Map<String, Object> open = Notifications.sesEvent("Open", mail, "open",
                    Notifications.open(clock.instant().plusMillis(i), "Mozilla/5.0 (iPhone)", "203.0.113.7"));
            functions.call("EmailEventsFunction", sqs(open), functions.context("EmailEventsFunction", true));
        });
        latency("SmsEventsFunction (one inbound reply)", n, i -> functions.call("SmsEventsFunction",
                sqs(Notifications.inboundSms("+14155550101", "+18005550199", "hello " + i, "bench-" + UUID.randomUUID())),
                functions.context("SmsEventsFunction", true)));
        latency("DeciderFunction (a sweep with nothing due)", n, i -> functions.invoke("DeciderFunction", "{}",
                functions.context("DeciderFunction", true)));
    }

    private static SQSEvent sqs(Map<String, Object> message) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setBody(Json.write(Map.of("Type", "Notification", "MessageId", UUID.randomUUID().toString(),
                "Message", Json.write(message), "Timestamp", Instant.now().toString())));
        m.setAttributes(Map.of("SentTimestamp", Long.toString(System.currentTimeMillis())));
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(m));
        return e;
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private void latency(String what, int n, Call call) throws Exception {
        for (int i = 0; i < 20; i++) {
            call.run(-i - 1);
        }
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            call.run(i);
            t[i] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(t);
        row("warm latency, " + what, String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", t[n / 2] / 1e6,
                t[(int) Math.ceil(n * 0.99) - 1] / 1e6), "(against the emulator)");
    }

    // --- HTTP clients --------------------------------------------------------------------------

    /** Both clients in alternating fresh JVMs (the order swapped each round), so that neither gets a warmer machine. */
    private void httpClients(String table) throws Exception {
        int runs = full ? 21 : 5;
        Map<String, List<Long>> times = Map.of("url", new ArrayList<>(), "crt", new ArrayList<>());
        for (int i = 0; i < runs; i++) {
            for (String client : i % 2 == 0 ? List.of("url", "crt") : List.of("crt", "url")) {
                String line = firstLine(new ProcessBuilder(javaBin(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"), HttpClientStart.class.getName(), client, table)).line();
                times.get(client).add(Long.parseLong(line.trim()));
            }
        }
        for (String client : List.of("url", "crt")) {
            List<Long> t = times.get(client);
            t.sort(null);
            long jars = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (client.equals("crt") ? entry.contains("aws-crt") || entry.contains("crt-core")
                        : entry.contains("url-connection-client")) {
                    jars += new File(entry).length();
                }
            }
            row("HTTP client, " + (client.equals("crt") ? "aws-crt-client" : "url-connection-client")
                            + ": JVM start to first DynamoDB answer (median of " + runs + ", alternating)",
                    t.get(t.size() / 2) + " ms (quartiles " + t.get(t.size() / 4) + "-" + t.get(3 * t.size() / 4) + "); its jars "
                            + String.format(Locale.ROOT, "%.2f MB", jars / 1e6), "the faster one ships");
        }
    }

    // --- JMH -----------------------------------------------------------------------------------

    private void jmh() throws Exception {
        OptionsBuilder o = new OptionsBuilder();
        o.include(DecisionBenchmark.class.getName()).include(IngestBenchmark.class.getName())
                .param("root", root.toString())
                .forks(1).threads(1)
                .jvmArgsAppend("-XX:ActiveProcessorCount=1", "-Dtandem.quiet=true")
                .warmupIterations(full ? 5 : 3).warmupTime(TimeValue.seconds(full ? 3 : 2))
                .measurementIterations(full ? 10 : 5).measurementTime(TimeValue.seconds(full ? 3 : 2))
                .shouldDoGC(true);
        Collection<RunResult> results = new Runner(o.build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            boolean ingest = r.getParams().getBenchmark().contains("Ingest");
            row((ingest ? "ingestion parsing and mapping, notifications/s" : "engine decisions/s, " + name) + " (JMH, 1 thread)",
                    String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()),
                    ingest ? ">= 20,000/s" : ">= 200,000/s");
        }
    }

    // --- throughput: the decider and the sender fleet ------------------------------------------

    /** The sender's Lambda time per message at the fleet's full rate, for the cost row (GB-seconds); 0 until measured. */
    private double senderGbSecondsPerMessage;
    /** The decider's Lambda time per message while it enrols a launch (GB-seconds at 1 GB); 0 until measured. */
    private double deciderGbSecondsPerMessage;

    private void throughput() throws Exception {
        int quota = 1000;
        System.err.println("  (stand-in latencies, ms: " + new java.util.TreeMap<>(Throughput.MILLIS) + "; provider quota " + quota + "/s)");
        Throughput.Row widest = null;
        for (int senders : List.of(1, 4, 16, 64)) {
            // Enough messages for about twenty seconds of sending at the rate the row should reach.
            int expected = Math.min(quota, senders * 200);
            int n = Math.max(1000, expected * (full ? 30 : 12));
            Throughput.Row r = Throughput.run(n, senders, quota);
            row("throughput at concurrency " + senders, String.format(Locale.ROOT,
                    "%,.0f messages/s | pacing error %+.1f%% against %,d/s | peak second %,.0f | throttled %d | %,d sent",
                    r.perSecond(), 100.0 * (r.perSecond() - quota) / quota, quota, r.peakSecond(), r.throttled(), r.messages()),
                    senders >= 16 ? ">= 1,000/s, within 5%" : "grows with senders");
            System.err.println("    calls: " + r.calls());
            // The sender's Lambda time for the cost row: at the fewest senders that reach the rate (more only wait).
            if (senderGbSecondsPerMessage == 0 && r.perSecond() >= 0.95 * quota) {
                senderGbSecondsPerMessage = r.senderGbSecondsPerMessage();
            }
            widest = r;
        }
        if (senderGbSecondsPerMessage == 0) {
            senderGbSecondsPerMessage = widest.senderGbSecondsPerMessage();
        }
        int n = full ? 50_000 : 20_000;
        double enrolRate = Throughput.enrolment(n);
        deciderGbSecondsPerMessage = 1.0 / enrolRate;
        // A decider invocation runs until its timeout less its margin; the next tick starts the next one within a
        // minute. Sending overlaps enrolment: the queue fills while the senders drain it.
        int timeout = (Integer) template.resolve(template.properties("DeciderFunction").get("Timeout"));
        double perRun = timeout - dev.tandem.decider.DeciderHandler.MARGIN_MILLIS / 1000.0;
        double enrolSeconds = 1_000_000 / enrolRate;
        int sweeps = (int) Math.ceil(enrolSeconds / perRun);
        double enrolWall = enrolSeconds + (sweeps - 1) * 60.0;
        double sendRate = Math.min(quota, widest.perSecond());
        double sendSeconds = 1_000_000 / sendRate;
        double total = Math.max(enrolWall, sendSeconds) + 1;
        row("1,000,000-contact launch at 1,000/s", String.format(Locale.ROOT,
                "%.1f minutes | enrolment %.1f min (%,.0f contacts/s measured on %,d, %d decider runs) | sending %.1f min at %,.0f/s",
                total / 60, enrolWall / 60, enrolRate, n, sweeps, sendSeconds / 60, sendRate), "<= 20 min, enrolment < 5");
    }

    // --- segments ---------------------------------------------------------------------------------

    /**
     * A segment count over 10,000 contacts (100,000 with --full) on the emulator, then the model of a million on
     * DynamoDB from the measured item sizes: the read units scale with the bytes read, and the time with the pages
     * each shard reads one after the other (1 MB a page, at a page latency of 150 ms).
     */
    private void segments() throws Exception {
        SegmentBench.Figures f;
        int n;
        if (imported != null) {
            n = importedRows;
            f = SegmentBench.overImported(template, imported, n);
            new Bootstrap(template).dropTable(imported);
            row(String.format("engagement summaries of %,d of the imported contacts (emulator)", n / 10), String.format("%.1f s", f.seedSeconds()), "");
        } else {
            n = Integer.getInteger("tandem.segments", 10_000);
            f = SegmentBench.run(template, n, 4);
            row(String.format("seed %,d contacts and their summaries (emulator)", n), String.format("%.1f s", f.seedSeconds()), "");
        }
        row("average item: profile / engagement summary (a month of a daily campaign)",
                String.format("%.0f / %.0f bytes", f.profileBytes(), f.summaryBytes()), "");
        row(String.format("segment count over %,d contacts (emulator, 16 shards read one at a time)", n),
                String.format("%.2f s, %d queries, %.0f RRU, %,d members", f.countSeconds(), f.queries(), f.readUnits(), f.count()), "");
        int million = 1_000_000;
        double bytes = million * (f.profileBytes() + f.summaryBytes());
        // Every contact with a summary (conservative): an index query reads 0.5 RRU per 4 KB.
        double rru = bytes / 4096 * 0.5;
        double pagesPerShard = Math.ceil(million * f.profileBytes() / 16 / 1e6) + Math.ceil(million * f.summaryBytes() / 16 / 1e6);
        double seconds = Math.max(pagesPerShard * 0.150, bytes / 75e6);
        row("1,000,000-contact segment count on DynamoDB (model)", String.format("%.0f s, %.0f RRU = $%.3f; %.2f GB read",
                seconds, rru, rru * 0.125 / 1e6, bytes / 1e9), "<= 2 min, <= $1");
    }

    // --- AWS requests per message lifecycle -----------------------------------------------------

    private void requests(String table) {
        int n = 1000;
        Instant day = Instant.parse("2026-12-07T10:00:00Z");
        SimClock clock = new SimClock(day.minus(Duration.ofHours(1)));
        String t = new Bootstrap(template).tableCopy("TandemTable", "bench-req-" + UUID.randomUUID().toString().substring(0, 8));
        LocalFunctions f = new LocalFunctions(template, clock, Map.of("TABLE_NAME", t, "SES_RATE_PER_SECOND", "100000",
                "SMS_RATE_PER_SECOND", "100000", "DECISION_ECHO", "0"));
        LocalClient api = new LocalClient(f);
        api.ok("PUT", "/templates/r-email", Map.of("channel", "email", "subject", "{{contact.firstName}}, news", "body", newsletter()));
        api.ok("PUT", "/templates/r-sms", Map.of("channel", "sms", "body", "{{contact.firstName}}, news in your inbox: {{link}}"));
        api.ok("PUT", "/campaigns/r-first", Map.of("topic", "news", "playbook", "email-first", "email", "r-email", "sms", "r-sms"));
        api.ok("PUT", "/campaigns/r-night", Map.of("topic", "news", "playbook", "sms-first", "email", "r-email", "sms", "r-sms"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "r" + i;
            ids.add(id);
            api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", String.format("+1650%07d", i),
                    "timezone", "UTC", "consent", Map.of("email", "subscribed", "sms", "subscribed"), "attributes", Map.of("firstName", "R")));
        }
        // Sends: the email-first email of every contact, in one sweep.
        clock.set(day);
        RequestCounter rc = RequestCounter.INSTANCE;
        Map<String, Long> before = rc.snapshot();
        api.ok("POST", "/campaigns/r-first/launch", Map.of("launchId", "sends", "audience", ids.subList(0, Math.min(n, 1000))));
        Map<String, Long> launch = diff(before, rc.snapshot());
        before = rc.snapshot();
        double[] units = UnitMeter.INSTANCE.snapshot();
        sweep(f);
        Map<String, Long> sends = diff(before, rc.snapshot());
        long sent = sends.getOrDefault("SesV2.SendEmail", 0L);
        double[] emailUnits = perMessage(units, UnitMeter.INSTANCE.snapshot(), sent);
        row("DynamoDB requests per sent message (" + sent + " sends in one sweep)", per(dynamo(sends), sent)
                + " (launch request: " + dynamo(launch) + " in all)", "<= 3");
        row("provider calls per sent message", per(sends.getOrDefault("SesV2.SendEmail", 0L) + sends.getOrDefault("Sns.Publish", 0L), sent), "exactly 1");
        // Engagement: one tagged open per contact, through EmailEventsFunction in batches of ten.
        before = rc.snapshot();
        List<String> messages = sentMessageIds(api, ids);
        Map<String, Long> lookups = diff(before, rc.snapshot());
        before = rc.snapshot();
        for (int b = 0; b < messages.size(); b += 10) {
            List<SQSEvent.SQSMessage> batch = new ArrayList<>();
            for (int i = b; i < Math.min(messages.size(), b + 10); i++) {
                Map<String, Object> mail = Notifications.mail(messages.get(i), ids.get(i) + "@example.com", day, "news",
                        Map.of("tandem-contact", ids.get(i), "tandem-campaign", "r-first", "tandem-step", "email"));
                batch.addAll(sqs(Notifications.sesEvent("Open", mail, "open", Notifications.open(day.plusSeconds(600), "Mozilla/5.0 (Windows)", "198.51.100.4"))).getRecords());
            }
            SQSEvent e = new SQSEvent();
            e.setRecords(batch);
            f.call("EmailEventsFunction", e, f.context("EmailEventsFunction", true));
        }
        Map<String, Long> events = diff(before, rc.snapshot());
        row("DynamoDB requests per engagement event (tagged, " + messages.size() + " opens)", per(dynamo(events), messages.size())
                + " (write requests " + per(events.getOrDefault("DynamoDb.TransactWriteItems", 0L) + events.getOrDefault("DynamoDb.PutItem", 0L), messages.size()) + ")",
                "<= 1 write, no read");
        // Skips: the follow-ups of opened emails are skipped as engaged.
        clock.set(day.plus(Duration.ofHours(24)));
        // The engagement summaries of what came before are the stream's work, costed on their own (BENCHMARKS.md):
        // brought up to date first, so that the sweep's own requests are counted.
        f.stream().drain();
        before = rc.snapshot();
        Map<String, Object> skipped = sweep(f);
        Map<String, Long> skips = diff(before, rc.snapshot());
        row("DynamoDB requests per decision that skips (" + counts(skipped, "skipped") + " follow-ups, engaged)",
                per(dynamo(skips), counts(skipped, "skipped")), "<= 2");
        // Waits: an sms-first launched at night, so every first step is deferred by quiet hours.
        clock.set(Instant.parse("2026-12-09T23:00:00Z"));
        api.ok("POST", "/campaigns/r-night/launch", Map.of("launchId", "waits", "audience", ids));
        // The engagement summaries of what came before are the stream's work, costed on their own (BENCHMARKS.md):
        // brought up to date first, so that the sweep's own requests are counted.
        f.stream().drain();
        before = rc.snapshot();
        Map<String, Object> waited = sweep(f);
        Map<String, Long> waits = diff(before, rc.snapshot());
        row("DynamoDB requests per decision that waits, new run (" + counts(waited, "deferred") + " deferred)",
                per(dynamo(waits), counts(waited, "deferred")), "<= 2");
        clock.set(Instant.parse("2026-12-10T08:00:00Z"));
        // The engagement summaries of what came before are the stream's work, costed on their own (BENCHMARKS.md):
        // brought up to date first, so that the sweep's own requests are counted.
        f.stream().drain();
        before = rc.snapshot();
        units = UnitMeter.INSTANCE.snapshot();
        Map<String, Object> morning = sweep(f);
        Map<String, Long> deferredSends = diff(before, rc.snapshot());
        long smsSent = deferredSends.getOrDefault("Sns.Publish", 0L);
        double[] smsUnits = perMessage(units, UnitMeter.INSTANCE.snapshot(), smsSent);
        row("DynamoDB requests per sent message, a deferred run sending (" + counts(morning, "sent") + " SMS)",
                per(dynamo(deferredSends), smsSent), "<= 3");
        Map<String, Long> empty = Map.of();
        clock.set(Instant.parse("2026-12-10T08:31:00Z"));
        // The engagement summaries of what came before are the stream's work, costed on their own (BENCHMARKS.md):
        // brought up to date first, so that the sweep's own requests are counted.
        f.stream().drain();
        before = rc.snapshot();
        sweep(f);
        Map<String, Long> idle = diff(before, rc.snapshot());
        row("DynamoDB requests of a sweep with nothing due", String.valueOf(dynamo(idle)), "(one query per shard)");
        before = rc.snapshot();
        api.ok("POST", "/campaigns/r-first/launch", Map.of("launchId", "later", "at", "2026-12-20T10:00:00Z", "audience", ids));
        Map<String, Long> scheduled = diff(before, rc.snapshot());
        row("Scheduler calls per launch at a future time (" + n + " contacts)", scheduled.getOrDefault("Scheduler.CreateSchedule", 0L)
                + " (so " + per(scheduled.getOrDefault("Scheduler.CreateSchedule", 0L), n) + " per message); per sent message 0", "-");
        cost(emailUnits, smsUnits, (double) sends.getOrDefault("Sqs.SendMessageBatch", 0L) / Math.max(1, sent));
        System.err.println("    (sent " + sends + "; events " + events + "; lookups " + lookups + "; skips " + skips + "; waits " + waits
                + "; deferred runs sending " + deferredSends + ")");
        new Bootstrap(template).dropTable(t);
    }

    private static double[] perMessage(double[] before, double[] after, long messages) {
        return new double[]{(after[0] - before[0]) / Math.max(1, messages), (after[1] - before[1]) / Math.max(1, messages)};
    }

    /**
     * The cost of a million messages from what the bench measured: DynamoDB units per message (from the items this run
     * wrote and read, {@link UnitMeter}), SQS requests per message (the decider's SendMessageBatch counted here, and the
     * event source's ReceiveMessage and DeleteMessageBatch, one each per batch of ten), and Lambda time per message
     * from the throughput rows (the fewest senders that reach the rate, the decider while it enrols). A third of the
     * messages are email-first emails with their web version and two thirds other sends, measured by the SMS phase:
     * the mix the cost model has used since it was first written (an email-first campaign's email, then SMS
     * follow-ups, sms-first and best-channel sends). Each kind alone is printed too.
     */
    private void cost(double[] email, double[] sms, double queuedPerMessage) {
        double wru = email[0] / 3 + sms[0] * 2 / 3;
        double rru = email[1] / 3 + sms[1] * 2 / 3;
        double sqs = queuedPerMessage + 0.2;
        double dynamo = wru * 0.625 + rru * 0.125;
        double queue = sqs * 0.40;
        double lambda = (senderGbSecondsPerMessage + deciderGbSecondsPerMessage) * 1e6 * 0.0000133334 + 0.1 * 0.20;
        row("DynamoDB units per sent message (email-first email with its web version; SMS)", String.format(Locale.ROOT,
                "%.1f WRU and %.2f RRU; %.1f WRU and %.2f RRU", email[0], email[1], sms[0], sms[1]), "(measured item sizes)");
        double rest = queue + lambda;
        row("infrastructure cost per 1,000,000 messages", String.format(Locale.ROOT,
                "$%.2f: DynamoDB $%.2f (%.1f WRU, %.2f RRU), SQS $%.2f (%.2f requests), Lambda $%.2f%s | all email-first emails $%.2f, all other sends $%.2f",
                dynamo + rest, dynamo, wru, rru, queue, sqs, lambda,
                senderGbSecondsPerMessage == 0 ? " (no throughput rows: Lambda time not measured)" : "",
                email[0] * 0.625 + email[1] * 0.125 + rest, sms[0] * 0.625 + sms[1] * 0.125 + rest),
                "<= $7 (final goal $3)");
    }

    /** A newsletter of about 20 KB: paragraphs of varied words with a few links, as a real one compresses (about 4:1). */
    private static String newsletter() {
        java.util.Random r = new java.util.Random(42);
        String[] words = {"winter", "boots", "collection", "warm", "wool", "coat", "sale", "new", "arrivals", "your", "picks",
                "delivery", "free", "returns", "style", "season", "gift", "guide", "scarf", "gloves", "jacket", "cozy", "knit"};
        StringBuilder b = new StringBuilder("<html><body><h1>{{contact.firstName}}, this week</h1>");
        while (b.length() < 20_000) {
            b.append("<p>");
            for (int i = 0; i < 60; i++) {
                b.append(words[r.nextInt(words.length)]).append(r.nextInt(10) == 0 ? ". " : " ");
            }
            b.append("<a href=\"https://shop.example.com/p/").append(r.nextInt(100_000)).append("\">see more</a></p>");
        }
        return b.append("</body></html>").toString();
    }

    private List<String> sentMessageIds(LocalClient api, List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            List<?> items = (List<?>) api.ok("GET", "/contacts/" + id + "/timeline?limit=5", null).json().get("items");
            for (Object o : items) {
                Map<?, ?> m = (Map<?, ?>) o;
                if ("email.sent".equals(m.get("type"))) {
                    out.add((String) m.get("messageId"));
                    break;
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sweep(LocalFunctions f) {
        return (Map<String, Object>) Json.read(f.decideAndSend("{}",
                new dev.tandem.local.LocalContext("DeciderFunction", 1800, 1024, true)), "");
    }

    private static long counts(Map<String, Object> result, String key) {
        Object v = ((Map<?, ?>) result.get("counts")).get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Map<String, Long> diff(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new java.util.TreeMap<>();
        b.forEach((k, v) -> {
            long d = v - a.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    private static long dynamo(Map<String, Long> m) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDb.")).mapToLong(Map.Entry::getValue).sum();
    }

    private static String per(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) a / b);
    }

    // --- simulation ----------------------------------------------------------------------------

    private void simulation() throws Exception {
        int n = full ? 1000 : 200;
        Path file = Files.createTempFile("tandem-bench-", ".json");
        Files.writeString(file, Json.write(ScenarioGenerator.scenario(n, 3)));
        Scenario s = Scenario.read(file);
        String table = new Bootstrap(template).tableCopy("TandemTable", "bench-sim-" + UUID.randomUUID().toString().substring(0, 8));
        long start = System.nanoTime();
        Simulator.Result r = new Simulator(template, s, Simulator.overrides(table), System.err).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        new Bootstrap(template).dropTable(table);
        row("simulate: " + n + " contacts, 3 days, tick 15 min", String.format(Locale.ROOT, "%.0f s, %d decisions", seconds, r.decisions().size()),
                "minutes, not hours");
        Files.deleteIfExists(file);
    }

    // --- heap ----------------------------------------------------------------------------------

    private void heap() throws Exception {
        int n = full ? 10_000 : 1_000;
        String table = new Bootstrap(template).tableCopy("TandemTable", "bench-heap-" + UUID.randomUUID().toString().substring(0, 8));
        FirstLine run = firstLine(new ProcessBuilder(javaBin(), "-Xmx256m", "-Dtandem.root=" + root, "-Dtandem.quiet=true",
                "-cp", System.getProperty("java.class.path"), SweepHeap.class.getName(), Integer.toString(n), table));
        new Bootstrap(template).dropTable(table);
        if (run.line() == null) {
            row("peak heap, sweep over " + n + " due contacts (-Xmx256m)", "the sweep did not finish (exit " + run.exit() + ")", "< 256 MB");
            return;
        }
        Map<?, ?> m = (Map<?, ?>) Json.read(run.line(), "");
        row("peak heap, sweep over " + n + " due contacts (-Xmx256m)",
                String.format(Locale.ROOT, "%.0f MB used at most; %s in %.0f s", ((Number) m.get("peakHeapUsedBytes")).doubleValue() / 1e6,
                        m.get("counts"), ((Number) m.get("sweepSeconds")).doubleValue()), "< 256 MB");
    }

    // --- bulk import -----------------------------------------------------------------------------

    /**
     * {@code --only import}: a generated CSV of {@code n} rows (one in a hundred refused: a bad address, a bad zone,
     * an address already taken by an earlier row) imported by ImportFunction through ImportQueue on the emulator,
     * timed, with the time of each kind of AWS call summed, and the reading and validation alone timed in memory.
     */
    /** The table the import phase filled, kept for the segments phase; null when it was dropped. */
    private String imported;
    private int importedRows;

    private void importFile(int n, boolean keep) throws Exception {
        Path file = Files.createTempFile("tandem-bench-import-", ".csv");
        try (var w = Files.newBufferedWriter(file)) {
            w.write("id,email,phone,timezone,locale,consent.email,consent.sms,attr.firstName,attr.tier\n");
            for (int i = 0; i < n; i++) {
                String email = i % 300 == 7 ? "not-an-address" : i % 300 == 107 ? "b" + (i - 1) + "@example.com" : "b" + i + "@example.com";
                String zone = i % 300 == 207 ? "Mars/Base" : "Europe/Paris";
                w.write("b" + i + "," + email + "," + String.format("+1650%07d", i) + "," + zone + ",fr-FR,subscribed,subscribed,\"Name " + i
                        + "\"," + (i % 2 == 0 ? "gold" : "silver") + "\n");
            }
        }
        long parse = parseOnly(file);
        String table = new Bootstrap(template).tableCopy("TandemTable", "bench-import-" + UUID.randomUUID().toString().substring(0, 8));
        LocalFunctions f = new LocalFunctions(template, java.time.Clock.systemUTC(), Map.of("TABLE_NAME", table));
        Map<String, Long> timesBefore = RequestTimer.INSTANCE.snapshot();
        Map<String, Long> countsBefore = RequestCounter.INSTANCE.snapshot();
        long start = System.nanoTime();
        dev.tandem.local.LocalImport.Report r;
        try (dev.tandem.local.LocalImport imports = new dev.tandem.local.LocalImport(f)) {
            r = imports.run(file, "imports/bench-" + n + ".csv", () -> f.context("ImportFunction", true));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> times = diff(timesBefore, RequestTimer.INSTANCE.snapshot());
        Map<String, Long> counts = diff(countsBefore, RequestCounter.INSTANCE.snapshot());
        if (keep) {
            imported = table;
            importedRows = n;
        } else {
            new Bootstrap(template).dropTable(table);
        }
        Files.deleteIfExists(file);
        long reads = times.getOrDefault("DynamoDb.BatchGetItem", 0L);
        long writes = times.getOrDefault("DynamoDb.TransactWriteItems", 0L);
        long progress = times.getOrDefault("DynamoDb.GetItem", 0L) + times.getOrDefault("DynamoDb.PutItem", 0L) + times.getOrDefault("DynamoDb.UpdateItem", 0L);
        long s3 = times.entrySet().stream().filter(e -> e.getKey().startsWith("S3.")).mapToLong(Map.Entry::getValue).sum();
        row("import of " + String.format(Locale.ROOT, "%,d", n) + " CSV rows on the emulator (" + f.environment("ImportFunction").get("IMPORT_WRITERS")
                        + " writer(s), 1,000-row windows)", String.format(Locale.ROOT,
                "%.1f s, %,.0f rows/s | %s", seconds, n / seconds, Json.write(r.summary())), ">= 2,000 rows/s on DynamoDB (model)");
        row("  where the time goes (AWS calls summed over writers)", String.format(Locale.ROOT,
                "read+validate %.1f s (in memory, alone) | BatchGetItem %.1f s (%d) | TransactWriteItems %.1f s (%d) | progress %.1f s | S3 %.1f s",
                parse / 1e9, reads / 1e9, counts.getOrDefault("DynamoDb.BatchGetItem", 0L), writes / 1e9,
                counts.getOrDefault("DynamoDb.TransactWriteItems", 0L), progress / 1e9, s3 / 1e9), "-");
        System.err.println("    (calls " + counts + ")");
    }

    /** Reading and validating the file alone, in memory: what an import spends besides its requests. */
    private static long parseOnly(Path file) throws Exception {
        long start = System.nanoTime();
        int valid = 0;
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            var records = new dev.tandem.imports.Records(in, 0, dev.tandem.imports.ImportFormat.CSV);
            List<String> header = dev.tandem.imports.ImportRows.header(records.next().cells());
            Instant now = Instant.now();
            long row = 0;
            for (dev.tandem.imports.Records.Record rec; (rec = records.next()) != null; ) {
                valid += dev.tandem.imports.ImportRows.csv(++row, header, rec, now).valid() ? 1 : 0;
            }
        }
        if (valid == 0) {
            throw new IllegalStateException("no valid row in the generated file");
        }
        return System.nanoTime() - start;
    }
}
