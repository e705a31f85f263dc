package dev.tandem.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The report as one self-contained HTML page: inline CSS, the report's JSON in a
 * {@code <script type="application/json" id="tandem-data">} element, and an inline script (no library) that draws
 * the charts as SVG from it. Nothing is loaded from anywhere else.
 */
public final class ReportPage {
    private static final String TEMPLATE = resource("report.html");
    private static final String SCRIPT = resource("report.js");

    /**
     * What the page may load and run: its own inline script (by its hash, so nothing else placed in the page runs) and
     * inline style; nothing from the network. The page carries this policy itself (a meta element), so it holds for a
     * saved file too; the HTTP answer adds what only a header can say ({@code frame-ancestors}).
     */
    public static final String PAGE_POLICY = "default-src 'none'; script-src 'sha256-" + sha256(SCRIPT)
            + "'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
    public static final String CONTENT_SECURITY_POLICY = PAGE_POLICY + "; frame-ancestors 'none'";

    private ReportPage() {
    }

    public static String render(Report report) {
        return fill(TEMPLATE, Map.of(
                "title", html(report.title()),
                "policy", html(PAGE_POLICY),
                "data", ReportJson.write(report.toMap()),
                "script", SCRIPT));
    }

    /** Replaces each {@code {{name}}} of the template in one pass: a value that holds {@code {{...}}} stays as it is. */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 4096);
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open);
            String name = template.substring(open + 2, close);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("the report template names {{" + name + "}}, which has no value");
            }
            out.append(template, at, open).append(value);
            at = close + 2;
        }
        return out.append(template, at, template.length()).toString();
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/tandem/report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
