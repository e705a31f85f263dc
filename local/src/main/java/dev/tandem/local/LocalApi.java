package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * {@code ./tandem api}: a local HTTP server that turns each request into an API Gateway HTTP API event
 * (payload format 2.0) for the same {@code ApiFunction} handler, like {@code sam local start-api}.
 */
public final class LocalApi {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private final LocalFunctions functions;
    private HttpServer server;

    public LocalApi(LocalFunctions functions) {
        this.functions = functions;
    }

    public int start(int port) throws IOException {
        functions.handler("ApiFunction");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return server.getAddress().getPort();
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void serve(HttpExchange x) throws IOException {
        try (x) {
            APIGatewayV2HTTPResponse r;
            try {
                r = functions.call("ApiFunction", event(x), functions.context("ApiFunction", false));
            } catch (RuntimeException e) {
                r = APIGatewayV2HTTPResponse.builder().withStatusCode(502)
                        .withHeaders(Map.of("content-type", "application/json"))
                        .withBody("{\"message\":\"Internal Server Error\"}").build();
                e.printStackTrace();
            }
            byte[] body = r.getBody() == null ? new byte[0]
                    : r.getIsBase64Encoded() ? Base64.getDecoder().decode(r.getBody())
                    : r.getBody().getBytes(StandardCharsets.UTF_8);
            if (r.getHeaders() != null) {
                r.getHeaders().forEach((k, v) -> x.getResponseHeaders().add(k, v));
            }
            if (r.getCookies() != null) {
                r.getCookies().forEach(c -> x.getResponseHeaders().add("set-cookie", c));
            }
            int status = r.getStatusCode();
            x.sendResponseHeaders(status, status == 204 || body.length == 0 ? -1 : body.length);
            if (body.length > 0 && status != 204) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    static APIGatewayV2HTTPEvent event(HttpExchange x) throws IOException {
        URI uri = x.getRequestURI();
        Map<String, String> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        byte[] bytes;
        try (InputStream in = x.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = uri.getRawPath();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(raw == null ? "" : raw)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8))
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId(Template.ACCOUNT)
                        .withApiId("local")
                        .withDomainName(headers.getOrDefault("host", "localhost"))
                        .withDomainPrefix("localhost")
                        .withStage("$default")
                        .withRouteKey("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTime(REQUEST_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(x.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .build();
    }

    static List<String> routes(Template template) {
        return template.ofType("AWS::Serverless::Function");
    }
}
