package dev.tandem.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./tandem console}: the campaign report of a DEPLOYED stack in your browser. It serves
 * {@code http://127.0.0.1:PORT} (this machine only) and passes {@code GET /campaigns/{id}/report} on to the stack's
 * API, signed with SigV4 for {@code execute-api} with your own AWS credentials (the SDK's default chain). The API keeps
 * its IAM auth; nothing of it becomes public, and the console answers only requests addressed to 127.0.0.1 or
 * localhost (a page elsewhere cannot reach it through a name of its own that points here).
 */
public final class Console {
    static final int DEFAULT_PORT = 8765;
    static final String USAGE = "usage: tandem console --api URL [--port N] [--region R]";
    private static final Pattern REPORT = Pattern.compile("/campaigns/([A-Za-z0-9][A-Za-z0-9._@-]{0,127})/report");
    private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[a-z0-9]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");
    private static final String INDEX_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "base-uri 'none'; frame-ancestors 'none'";

    private final URI api;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private HttpServer server;
    private int port;

    /** The console of the API at {@code api} (its base URL, a path prefix allowed), signing for {@code region}. */
    public Console(URI api, String region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        this.api = Objects.requireNonNull(api, "api");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** Serves on 127.0.0.1 only; port 0 takes a free one. Returns the port. */
    public int start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        this.port = server.getAddress().getPort();
        return this.port;
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    // --- the command ---------------------------------------------------------------------------------------------

    /** What the command line says. */
    record Options(URI api, String region, int port) {
    }

    /** A command line that cannot run, and why. */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads the command line. The region is {@code --region}, else the one in an {@code execute-api} URL, else
     * {@code regionOf} (the SDK's region chain: AWS_REGION, the profile...), else an error naming {@code --region}.
     */
    static Options options(List<String> args, java.util.function.Supplier<Optional<String>> regionOf) {
        String api = null;
        String region = null;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!List.of("--api", "--port", "--region").contains(a)) {
                throw new Usage("unknown argument " + a);
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new Usage(a + " needs a value");
            }
            String v = args.get(++i);
            switch (a) {
                case "--api" -> api = v;
                case "--region" -> region = v;
                default -> {
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new Usage("--port must be a whole number, not " + v);
                    }
                    if (port < 1 || port > 65535) {
                        throw new Usage("--port must be between 1 and 65535");
                    }
                }
            }
        }
        if (api == null) {
            throw new Usage("--api is required: the ApiUrl output of your stack (aws cloudformation describe-stacks "
                    + "--stack-name NAME --query \"Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue\" --output text)");
        }
        URI uri = apiUri(api);
        if (region == null) {
            Matcher m = EXECUTE_API_HOST.matcher(uri.getHost());
            region = m.matches() ? m.group(1) : regionOf.get()
                    .orElseThrow(() -> new Usage("no region: name it with --region (the API's URL does not say it, and AWS_REGION is not set)"));
        }
        if (!region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
            throw new Usage("--region " + region + " is not a region name such as us-east-1");
        }
        return new Options(uri, region, port);
    }

    /** The API's base URL: https, or http to this machine (a stand-in for tests); no query, no fragment. */
    static URI apiUri(String text) {
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new Usage("--api " + text + " is not a URL");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new Usage("--api " + text + " is not a URL such as https://abc123.execute-api.us-east-1.amazonaws.com");
        }
        boolean loopback = uri.getHost().equals("localhost") || uri.getHost().equals("127.0.0.1") || uri.getHost().equals("[::1]");
        if (!uri.getScheme().equals("https") && !(uri.getScheme().equals("http") && loopback)) {
            throw new Usage("--api must be an https URL (http only to this machine)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new Usage("--api is the API's base URL, without a query, a fragment or a user");
        }
        return uri;
    }

    public static void main(List<String> args) throws Exception {
        Options o;
        try {
            o = options(args, () -> {
                try {
                    return Optional.of(DefaultAwsRegionProviderChain.builder().build().getRegion().id());
                } catch (SdkClientException e) {
                    return Optional.empty();
                }
            });
        } catch (Usage e) {
            System.err.println("tandem console: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            // The SDK's message lists where it looked: the environment, the profiles, SSO, a container or instance role.
            System.err.println("tandem console: no AWS credentials: " + e.getMessage());
            System.exit(2);
            return;
        }
        SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30)).build();
        Console console = new Console(o.api(), o.region(), credentials, http);
        int bound;
        try {
            bound = console.start(o.port());
        } catch (BindException e) {
            System.err.println("tandem console: port " + o.port() + " is in use; choose another with --port");
            System.exit(2);
            return;
        }
        System.out.println("Tandem console on http://127.0.0.1:" + bound + "/ for " + o.api() + " (" + o.region()
                + ", your AWS credentials); Ctrl-C to stop");
        System.out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.stop();
            http.close();
            forever.countDown();
        }));
        forever.await();
    }

    // --- serving -------------------------------------------------------------------------------------------------

    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String host = x.getRequestHeaders().getFirst("host");
            if (host == null || !(host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port))) {
                page(x, 403, "Refused", "This console answers only requests to http://127.0.0.1:" + port + "/ or http://localhost:" + port + "/.");
                return;
            }
            if (!x.getRequestMethod().equals("GET")) {
                x.getResponseHeaders().add("allow", "GET");
                page(x, 405, "Method not allowed", "The console only reads: GET.");
                return;
            }
            String path = x.getRequestURI().getRawPath();
            Matcher report = REPORT.matcher(path);
            if (path.equals("/")) {
                send(x, 200, "text/html; charset=utf-8", INDEX_POLICY, index(null).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/report")) {
                String campaign = query(x.getRequestURI().getRawQuery(), "campaign");
                if (campaign == null || !CAMPAIGN.matcher(campaign).matches()) {
                    send(x, 400, "text/html; charset=utf-8", INDEX_POLICY,
                            index("A campaign id holds letters, digits and . _ @ - and starts with a letter or digit.").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                x.getResponseHeaders().add("location", "/campaigns/" + campaign + "/report");
                x.sendResponseHeaders(303, -1);
            } else if (report.matches()) {
                forward(x, report.group(1));
            } else {
                page(x, 404, "Not found", "The console serves / and /campaigns/{id}/report.");
            }
        }
    }

    /** Passes the report request on to the API, signed, and its answer back as it came. */
    private void forward(HttpExchange x, String campaign) throws IOException {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol(api.getScheme())
                .host(api.getHost())
                .port(api.getPort() == -1 ? null : api.getPort())
                .encodedPath((api.getRawPath() == null ? "" : api.getRawPath()) + "/campaigns/" + campaign + "/report")
                .putHeader("accept", "text/html")
                .build();
        SdkHttpRequest signed = signer.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpExecuteResponse answer;
        byte[] body;
        try {
            answer = http.prepareRequest(HttpExecuteRequest.builder().request(signed).build()).call();
            Optional<AbortableInputStream> stream = answer.responseBody();
            try (InputStream in = stream.isPresent() ? stream.get() : InputStream.nullInputStream()) {
                body = in.readAllBytes();
            }
        } catch (UnknownHostException e) {
            page(x, 502, "API not found", "No host " + api.getHost() + ": check --api.");
            return;
        } catch (IOException e) {
            page(x, 502, "API not reached", "The API at " + api + " did not answer (" + e.getClass().getSimpleName() + ").");
            return;
        }
        int status = answer.httpResponse().statusCode();
        System.err.println("tandem console: GET /campaigns/" + campaign + "/report: " + status);
        String type = answer.httpResponse().firstMatchingHeader("content-type").orElse("application/octet-stream");
        String policy = answer.httpResponse().firstMatchingHeader("content-security-policy").orElse(INDEX_POLICY);
        send(x, status, type, policy, body);
    }

    private static void page(HttpExchange x, int status, String title, String text) throws IOException {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title></head>"
                + "<body style=\"font:15px system-ui,sans-serif;margin:40px\"><h1>" + esc(title) + "</h1><p>" + esc(text)
                + "</p><p><a href=\"/\">Tandem console</a></p></body></html>";
        send(x, status, "text/html; charset=utf-8", INDEX_POLICY, html.getBytes(StandardCharsets.UTF_8));
    }

    private String index(String problem) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tandem console</title></head>"
                + "<body style=\"font:15px system-ui,sans-serif;margin:40px;max-width:640px\"><h1>Tandem console</h1>"
                + "<p>Campaign reports of the API at <code>" + esc(api.toString()) + "</code> (" + esc(region)
                + "), read with your AWS credentials.</p>"
                + (problem == null ? "" : "<p style=\"color:#b91c1c\">" + esc(problem) + "</p>")
                + "<form method=\"get\" action=\"/report\"><label>Campaign id <input name=\"campaign\" required "
                + "pattern=\"[A-Za-z0-9][A-Za-z0-9._@\\-]*\" autofocus></label> <button type=\"submit\">Show the report</button></form>"
                + "<p style=\"color:#6b7280\">The API has no route that lists campaigns: type the id you stored it under "
                + "(<code>PUT /campaigns/{id}</code>).</p></body></html>";
    }

    private static void send(HttpExchange x, int status, String type, String policy, byte[] body) throws IOException {
        x.getResponseHeaders().add("content-type", type);
        x.getResponseHeaders().add("content-security-policy", policy);
        x.getResponseHeaders().add("cache-control", "no-store");
        x.getResponseHeaders().add("referrer-policy", "no-referrer");
        x.getResponseHeaders().add("x-content-type-options", "nosniff");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).trim();
            }
        }
        return null;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
