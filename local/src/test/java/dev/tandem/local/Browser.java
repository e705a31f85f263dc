package dev.tandem.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Headless Chromium for the tests that check what a page draws: the DOM after its scripts ran ({@code --dump-dom}) and
 * a screenshot. Without Chromium on PATH a test is skipped, loudly, unless {@code TANDEM_REQUIRE_BROWSER=1}: then it
 * fails.
 */
final class Browser {
    /** Longest a page may take to load and draw: a guard against a browser that hangs, never a measure. */
    private static final long PATIENCE_SECONDS = 120;

    private final Path executable;
    private final Path logs;

    private Browser(Path executable, Path logs) {
        this.executable = executable;
        this.logs = logs;
    }

    /** The browser, or the test stops here: skipped with a message, or failed when the browser is required. */
    static Browser require(Path logs) {
        Optional<Path> found = onPath("chromium").or(() -> onPath("chromium-browser"));
        if (found.isEmpty()) {
            String message = "NO BROWSER: chromium is not on PATH, so the report page was not drawn and checked. "
                    + "./tandem test installs Debian's chromium when it runs as root with apt-get; else install it yourself.";
            if ("1".equals(System.getenv("TANDEM_REQUIRE_BROWSER"))) {
                fail(message + " TANDEM_REQUIRE_BROWSER=1 makes this a failure.");
            }
            System.err.println("\n*** " + message + " ***\n");
            assumeTrue(false, message);
        }
        return new Browser(found.get(), logs);
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The page's DOM once its scripts ran, serialised. */
    String dom(Path page) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom"), page.getFileName() + ".dom.log");
    }

    /** A PNG of the page at a window of this size. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars"),
                page.getFileName() + ".screenshot.log");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            fail("chromium wrote no screenshot " + png + "; see " + logs.resolve(page.getFileName() + ".screenshot.log"));
        }
    }

    private String run(Path page, List<String> what, String log) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("tandem-chromium-");
        try {
            List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless=new",
                    // Chromium's sandbox refuses to start as root (a CI container): the page is our own file.
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                    "--user-data-dir=" + profile));
            cmd.addAll(what);
            cmd.add(page.toAbsolutePath().toUri().toString());
            Path out = Files.createTempFile("tandem-chromium-", ".out");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(logs.resolve(log).toFile()).start();
            if (!p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish with " + page + " within " + PATIENCE_SECONDS + " s; see " + logs.resolve(log));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            if (p.exitValue() != 0) {
                fail("chromium exited " + p.exitValue() + " on " + page + "; see " + logs.resolve(log));
            }
            return stdout;
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    // --- reading what was drawn ------------------------------------------------------------------------------------

    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][\\w:-]*)((?:\\s+[\\w:-]+(?:=\"[^\"]*\")?)*)\\s*/?>");
    private static final Pattern ATTR = Pattern.compile("([\\w:-]+)(?:=\"([^\"]*)\")?");
    private static final Pattern TEXT = Pattern.compile("<(text|span)((?:\\s+[\\w:-]+(?:=\"[^\"]*\")?)*)\\s*>([^<]*)</\\1>");

    /** An element of the serialised DOM: its name, attributes and, for a text or span holding only text, that text. */
    record Element(String name, java.util.Map<String, String> attrs, String text) {
        String attr(String name) {
            return attrs.get(name);
        }

        boolean has(String name, String value) {
            return value.equals(attrs.get(name));
        }

        boolean hasClass(String c) {
            return List.of(attrs.getOrDefault("class", "").split("\\s+")).contains(c);
        }
    }

    /** Every start tag of the DOM, in document order. */
    static List<Element> elements(String dom) {
        List<Element> out = new ArrayList<>();
        Matcher m = TAG.matcher(dom);
        while (m.find()) {
            out.add(new Element(m.group(1), attrs(m.group(2)), null));
        }
        return out;
    }

    /** Every {@code <text>} and {@code <span>} that holds only text, with that text. */
    static List<Element> texts(String dom) {
        List<Element> out = new ArrayList<>();
        Matcher m = TEXT.matcher(dom);
        while (m.find()) {
            out.add(new Element(m.group(1), attrs(m.group(2)), unescape(m.group(3))));
        }
        return out;
    }

    private static java.util.Map<String, String> attrs(String s) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        Matcher a = ATTR.matcher(s);
        while (a.find()) {
            out.put(a.group(1), a.group(2) == null ? "" : unescape(a.group(2)));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }
}
