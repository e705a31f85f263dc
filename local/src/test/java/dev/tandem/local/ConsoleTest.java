package dev.tandem.local;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console against a stand-in for the deployed API: a local HTTP server that records what reaches it. No AWS,
 * no emulator.
 */
class ConsoleTest {
    private static final String KEY = "AKIDCONSOLETEST";
    private static final String SECRET = "console-test-secret";
    private static final String TOKEN = "console-test-session-token";
    private static final String PAGE = "<!doctype html><title>report of winter</title><p>the page";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=" + KEY + "/(\\d{8})/eu-west-1/execute-api/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    /** A request as the stand-in API received it. */
    private record Received(String method, String path, Map<String, String> headers) {
    }

    private final List<Received> received = new ArrayList<>();
    private HttpServer upstream;
    private Console console;
    private SdkHttpClient http;
    private int port;
    private int upstreamStatus = 200;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        upstream.createContext("/", x -> {
            try (x) {
                Map<String, String> headers = new TreeMap<>();
                x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                synchronized (received) {
                    received.add(new Received(x.getRequestMethod(), x.getRequestURI().getRawPath(), headers));
                }
                byte[] body = upstreamStatus == 200 ? PAGE.getBytes(StandardCharsets.UTF_8)
                        : "{\"message\":\"Forbidden\"}".getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("content-type", upstreamStatus == 200 ? "text/html; charset=utf-8" : "application/json");
                x.getResponseHeaders().add("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
                x.sendResponseHeaders(upstreamStatus, body.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        upstream.start();
        http = UrlConnectionHttpClient.create();
        // The API's base URL with a path prefix, as behind a custom domain's mapping.
        URI api = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/prod");
        console = new Console(api, "eu-west-1",
                StaticCredentialsProvider.create(AwsSessionCredentials.create(KEY, SECRET, TOKEN)), http);
        port = console.start(0);
    }

    @AfterEach
    void stop() {
        console.stop();
        upstream.stop(0);
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fetchesTheReportFromTheApiSignedForExecuteApiWithTheUsersCredentials() throws Exception {
        // when the browser asks the console for a campaign's report
        HttpResponse<String> page = get("/campaigns/winter/report");

        // then the page came back as the API answered it
        assertEquals(200, page.statusCode());
        assertEquals(PAGE, page.body());
        assertEquals(Optional.of("text/html; charset=utf-8"), page.headers().firstValue("content-type"));
        assertEquals(Optional.of("default-src 'none'; frame-ancestors 'none'"), page.headers().firstValue("content-security-policy"));

        // and the API got one GET of the report route, under its path prefix, signed with SigV4 for execute-api
        assertEquals(1, received.size());
        Received r = received.get(0);
        assertEquals("GET", r.method());
        assertEquals("/prod/campaigns/winter/report", r.path());
        Matcher m = AUTHORIZATION.matcher(r.headers().getOrDefault("authorization", ""));
        assertTrue(m.matches(), "Authorization: " + r.headers().get("authorization"));
        List<String> signed = List.of(m.group(2).split(";"));
        assertTrue(signed.contains("host") && signed.contains("x-amz-date"), "signed headers: " + signed);
        assertEquals(m.group(1), r.headers().get("x-amz-date").substring(0, 8), "the credential's date is the request's");
        assertEquals(TOKEN, r.headers().get("x-amz-security-token"));
        assertEquals(sigV4(r, signed), m.group(3), "the signature is SigV4's for this request, key and region");
    }

    /** SigV4 computed here from what the API received, as API Gateway checks it (a GET with no body and no query). */
    private static String sigV4(Received r, List<String> signedHeaders) throws Exception {
        StringBuilder canonical = new StringBuilder("GET\n").append(r.path()).append("\n\n");
        for (String h : signedHeaders) {
            canonical.append(h).append(':').append(r.headers().get(h).trim()).append('\n');
        }
        String payload = r.headers().getOrDefault("x-amz-content-sha256", hex(MessageDigest.getInstance("SHA-256").digest(new byte[0])));
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payload);
        String amzDate = r.headers().get("x-amz-date");
        String scope = amzDate.substring(0, 8) + "/eu-west-1/execute-api/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = ("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8);
        for (String part : scope.split("/")) {
            key = hmac(key, part);
        }
        return hex(hmac(key, toSign));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theApisRefusalComesBackAsItWas() throws Exception {
        upstreamStatus = 403;

        HttpResponse<String> page = get("/campaigns/winter/report");

        assertEquals(403, page.statusCode());
        assertEquals("{\"message\":\"Forbidden\"}", page.body());
    }

    @Test
    void servesAnIndexAndPassesOnNothingButTheReportRoute() throws Exception {
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("<form method=\"get\" action=\"/report\">"), index.body());

        HttpResponse<String> chosen = get("/report?campaign=winter");
        assertEquals(303, chosen.statusCode());
        assertEquals(Optional.of("/campaigns/winter/report"), chosen.headers().firstValue("location"));

        assertEquals(400, get("/report?campaign=..%2Fpolicy").statusCode());
        assertEquals(404, get("/policy").statusCode());
        assertEquals(404, get("/campaigns/winter/stats").statusCode());
        assertEquals(404, get("/campaigns/winter/report/../../policy").statusCode());
        assertEquals(405, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/campaigns/winter/report"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(List.of(), received, "nothing reached the API");
    }

    @Test
    void refusesARequestAddressedToAnotherHostName() throws Exception {
        // A page on another site that points its own name at 127.0.0.1 sends its own name as the Host.
        String status;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(("GET /campaigns/winter/report HTTP/1.1\r\nHost: rebound.example:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = s.getInputStream()) {
                status = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            }
        }
        assertTrue(status.startsWith("HTTP/1.1 403"), status);
        assertEquals(List.of(), received, "nothing reached the API");
    }

    @Test
    void aCommandLineWithoutTheApiOrWithAPlainHttpApiElsewhereIsRefusedNamingWhatIsWrong() {
        Console.Usage missing = assertThrows(Console.Usage.class, () -> Console.options(List.of("--port", "9000"), Optional::empty));
        assertTrue(missing.getMessage().startsWith("--api is required"), missing.getMessage());

        Console.Usage plain = assertThrows(Console.Usage.class,
                () -> Console.options(List.of("--api", "http://abc.execute-api.us-east-1.amazonaws.com"), Optional::empty));
        assertTrue(plain.getMessage().contains("https"), plain.getMessage());

        Console.Usage noRegion = assertThrows(Console.Usage.class,
                () -> Console.options(List.of("--api", "https://api.example.com/tandem"), Optional::empty));
        assertTrue(noRegion.getMessage().contains("--region"), noRegion.getMessage());

        Console.Usage port = assertThrows(Console.Usage.class,
                () -> Console.options(List.of("--api", "https://api.example.com", "--port", "web"), () -> Optional.of("us-east-1")));
        assertEquals("--port must be a whole number, not web", port.getMessage());

        Console.Options ok = Console.options(List.of("--api", "https://abc123.execute-api.ca-central-1.amazonaws.com/"), Optional::empty);
        assertEquals("ca-central-1", ok.region(), "read from the API's URL");
        assertEquals(URI.create("https://abc123.execute-api.ca-central-1.amazonaws.com"), ok.api());
        assertEquals(Console.DEFAULT_PORT, ok.port());
    }
}
