package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tandem.aws.Json;

import java.util.Map;
import java.util.UUID;

/** Calls the HTTP API's handler in process, with the API Gateway events the HTTP API would send. */
public final class LocalClient {
    private final LocalFunctions functions;

    public LocalClient(LocalFunctions functions) {
        this.functions = functions;
    }

    public record Response(int status, Map<String, String> headers, String body) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return (Map<String, Object>) Json.read(body, "");
        }
    }

    public Response call(String method, String path, Object body) {
        return call(method, path, body, Map.of());
    }

    /** With request headers beside the two every call has (a user agent, say). */
    public Response call(String method, String path, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(Map.of("content-type", "application/json", "host", "localhost:3000"));
        headers.putAll(extraHeaders);
        String text = body == null ? null : body instanceof String s ? s : Json.write(body);
        int q = path.indexOf('?');
        String raw = q < 0 ? path : path.substring(0, q);
        Map<String, String> query = new java.util.LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        APIGatewayV2HTTPEvent e = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(raw)
                .withRawQueryString(q < 0 ? "" : path.substring(q + 1))
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(headers)
                .withBody(text)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("localhost:3000")
                        .withRequestId(UUID.randomUUID().toString())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(raw).build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse r = functions.call("ApiFunction", e, functions.context("ApiFunction", true));
        return new Response(r.getStatusCode(), r.getHeaders() == null ? Map.of() : r.getHeaders(), r.getBody());
    }

    /** Calls a route and fails, naming the route and the answer, unless it succeeded. */
    public Response ok(String method, String path, Object body) {
        Response r = call(method, path, body);
        if (r.status() >= 300 && r.status() != 302) {
            throw new IllegalStateException(method + " " + path + " answered " + r.status() + ": " + r.body());
        }
        return r;
    }
}
