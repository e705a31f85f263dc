package dev.tandem.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The Java side of the {@code tandem} launcher. The launcher installs, builds and runs the emulator;
 * this reads template.yaml and runs the functions.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("tandem.root", ".")).toAbsolutePath().normalize();
        Template template = Template.load(root.resolve("template.yaml"));
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "bootstrap" -> {
                for (String line : new Bootstrap(template).run()) {
                    System.err.println("  created " + line);
                }
            }
            case "invoke" -> System.exit(invoke(template, rest));
            case "validate" -> System.exit(validate(rest));
            case "simulate" -> System.exit(simulate(template, rest));
            case "api" -> api(template, rest);
            case "report" -> System.exit(report(template, rest));
            case "console" -> Console.main(rest);
            case "import" -> System.exit(importFile(template, rest));
            case "summaries" -> System.exit(SummaryRebuild.run(template, rest));
            case "events" -> System.exit(EventsBucket.command(template, rest));
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static int invoke(Template template, List<String> args) throws Exception {
        if (args.size() != 2) {
            System.err.println("usage: tandem invoke FUNCTION EVENT_FILE");
            return 2;
        }
        String function = args.get(0);
        Path file = Path.of(args.get(1));
        if (!Files.isRegularFile(file)) {
            System.err.println("tandem invoke: no event file " + file);
            return 2;
        }
        try {
            template.handlerClass(function);
        } catch (IllegalArgumentException e) {
            System.err.println("tandem invoke: " + e.getMessage());
            return 2;
        }
        LocalFunctions functions = new LocalFunctions(template, Clock.systemUTC());
        String event = Files.readString(file, StandardCharsets.UTF_8);
        // The emulator runs no event sources: a decider tick is followed here by SendQueue's, as in a deployment.
        String response = function.equals("DeciderFunction") ? functions.decideAndSend(event, functions.context(function, false))
                : functions.invoke(function, event, functions.context(function, false));
        System.out.println(response);
        if (function.equals("ImportFunction")) {
            // The emulator runs no event sources: the continuations an invocation queued are taken here.
            try (LocalImport imports = new LocalImport(functions)) {
                int more = imports.drain(() -> functions.context(function, false));
                if (more > 0) {
                    System.err.println("tandem invoke: " + more + " more invocation(s) from ImportQueue");
                }
            }
        }
        return 0;
    }

    /**
     * {@code ./tandem import FILE}: the file goes to ImportBucket under imports/ and is imported by ImportFunction as
     * in AWS; each refused row's line, then the summary line, on stdout. Exit 0 when every row was imported or already
     * there, 1 when a row or the file was refused, 2 on a usage error.
     */
    private static int importFile(Template template, List<String> args) {
        if (args.size() != 1) {
            System.err.println("usage: tandem import FILE");
            return 2;
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            System.err.println("tandem import: no file " + file);
            return 2;
        }
        String name = file.getFileName().toString();
        if (!dev.tandem.app.ImportRun.importable("imports/" + name)) {
            System.err.println("tandem import: " + name + ": an import file is a .csv or a .jsonl");
            return 2;
        }
        LocalFunctions functions = new LocalFunctions(template, Clock.systemUTC());
        long started = System.nanoTime();
        try (LocalImport imports = new LocalImport(functions)) {
            LocalImport.Report r = imports.run(file, "imports/" + name, () -> functions.context("ImportFunction", true));
            r.errors().forEach(System.out::println);
            System.out.println(dev.tandem.aws.Json.write(r.summary()));
            System.err.printf("tandem import: s3://%s/imports/%s in %d invocation(s), %.1f s%n", imports.bucket(), name,
                    r.invocations(), (System.nanoTime() - started) / 1e9);
            Object refused = r.summary().get("refused");
            return r.summary().containsKey("error") || (refused instanceof Number n && n.longValue() > 0) ? 1 : 0;
        }
    }

    private static void api(Template template, List<String> args) throws Exception {
        int port = 3000;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--port") && i + 1 < args.size()) {
                port = Integer.parseInt(args.get(++i));
            } else {
                System.err.println("usage: tandem api [--port N]");
                System.exit(2);
            }
        }
        LocalApi api = new LocalApi(new LocalFunctions(template, Clock.systemUTC()));
        int bound = api.start(port);
        System.out.println("Tandem API on http://127.0.0.1:" + bound + " (Ctrl-C to stop)");
        System.out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.stop();
            forever.countDown();
        }));
        forever.await();
    }

    /** Reads a scenario and reports what is wrong with it, naming the field: exit 2, before anything runs. */
    static int validate(List<String> args) {
        if (args.isEmpty()) {
            System.err.println(SIMULATE_USAGE);
            return 2;
        }
        try {
            Scenario.read(Path.of(args.get(0)));
            return 0;
        } catch (Scenario.Invalid e) {
            System.err.println("tandem simulate: " + args.get(0) + ": "
                    + (e.field() == null || e.field().isEmpty() ? "" : e.field() + ": ") + e.getMessage());
            return 2;
        }
    }

    static final String SIMULATE_USAGE = "usage: tandem simulate FILE [--json] [--keep] [--html OUT.html]";

    private static int simulate(Template template, List<String> args) {
        if (validate(args) != 0) {
            return 2;
        }
        boolean json = false;
        boolean keep = false;
        Path html = null;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--keep")) {
                keep = true;
            } else if (a.equals("--html")) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    System.err.println("tandem simulate: --html needs the file to write the report page to");
                    return 2;
                }
                html = writable("tandem simulate: --html", args.get(++i));
                if (html == null) {
                    return 2;
                }
            } else {
                System.err.println("tandem simulate: unknown argument " + a);
                System.err.println(SIMULATE_USAGE);
                return 2;
            }
        }
        Path file = Path.of(args.get(0));
        Scenario scenario = Scenario.read(file);
        String table = new Bootstrap(template).tableCopy("TandemTable", "sim-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        long started = System.nanoTime();
        Simulator.Result r;
        String page = null;
        try {
            Simulator simulator = new Simulator(template, scenario, Simulator.overrides(table), System.err);
            r = simulator.run();
            if (html != null) {
                // Read from the simulation's table, so before it is dropped.
                page = Conversations.page(file.getFileName().toString(), scenario, simulator, r);
            }
        } finally {
            if (!keep) {
                new Bootstrap(template).dropTable(table);
            }
        }
        if (json) {
            for (var d : r.decisions()) {
                System.out.println(dev.tandem.aws.Json.write(d));
            }
        } else {
            Conversations.print(r, System.out);
        }
        System.err.printf("tandem simulate: %d contacts, %d decisions, %s simulated in %.1f s (table %s)%n",
                scenario.contacts().size(), r.decisions().size(),
                java.time.Duration.between(scenario.start(), scenario.until()), (System.nanoTime() - started) / 1e9, keep ? table + ", kept" : "dropped");
        if (page != null) {
            write(html, page);
            System.err.println("tandem simulate: report page written to " + html + " (open it in a browser)");
        }
        return 0;
    }

    /**
     * {@code ./tandem report CAMPAIGN [--out FILE] [--table NAME]}: the page {@code GET /campaigns/{id}/report} answers,
     * from the local stack's table (or a simulation's kept table), written to a file. Exit 1 when the API refused (an
     * unknown campaign), 2 on a usage error.
     */
    static int report(Template template, List<String> args) {
        String usage = "usage: tandem report CAMPAIGN [--out FILE] [--table NAME]";
        String campaign = null;
        String out = null;
        String table = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--out") || a.equals("--table")) && (i + 1 >= args.size() || args.get(i + 1).startsWith("--"))) {
                System.err.println("tandem report: " + a + " needs a value");
                System.err.println(usage);
                return 2;
            }
            if (a.equals("--out")) {
                out = args.get(++i);
            } else if (a.equals("--table")) {
                table = args.get(++i);
            } else if (a.startsWith("--") || campaign != null) {
                System.err.println("tandem report: unknown argument " + a);
                System.err.println(usage);
                return 2;
            } else {
                campaign = a;
            }
        }
        if (campaign == null) {
            System.err.println(usage);
            return 2;
        }
        try {
            dev.tandem.validation.Checks.id("campaign", campaign);
        } catch (dev.tandem.validation.InvalidInputException e) {
            System.err.println("tandem report: " + e.getMessage());
            return 2;
        }
        Path file = writable("tandem report: --out", out == null ? "tandem-report-" + campaign + ".html" : out);
        if (file == null) {
            return 2;
        }
        if (table != null && !new Bootstrap(template).tableExists(table)) {
            System.err.println("tandem report: --table: no table " + table + " on " + System.getenv("AWS_ENDPOINT_URL"));
            return 2;
        }
        LocalFunctions functions = new LocalFunctions(template, Clock.systemUTC(), table == null ? java.util.Map.of() : java.util.Map.of("TABLE_NAME", table));
        LocalClient.Response r = new LocalClient(functions).call("GET", "/campaigns/" + campaign + "/report", null);
        if (r.status() != 200) {
            Object error = r.headers().getOrDefault("content-type", "").startsWith("application/json") ? r.json().get("error") : r.body();
            System.err.println("tandem report: GET /campaigns/" + campaign + "/report answered " + r.status() + ": " + error);
            return 1;
        }
        write(file, r.body());
        System.err.println("tandem report: campaign " + campaign + " written to " + file + " (open it in a browser)");
        return 0;
    }

    /** The absolute path of a file to write, or null (having said why) when its directory does not exist. */
    private static Path writable(String what, String name) {
        Path p = Path.of(name).toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            System.err.println(what + ": " + p + " is a directory; name a file");
            return null;
        }
        if (p.getParent() == null || !Files.isDirectory(p.getParent())) {
            System.err.println(what + ": no directory " + p.getParent() + " to write " + p.getFileName() + " in");
            return null;
        }
        return p;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void usage() {
        System.err.println("usage: tandem-local bootstrap | invoke FUNCTION EVENT_FILE | api [--port N] | validate FILE"
                + " | simulate FILE [--json] [--keep] [--html OUT.html] | import FILE | events [--out FILE]"
                + " | report CAMPAIGN [--out FILE] [--table NAME] | console --api URL [--port N] [--region R]");
    }
}
