package dev.tandem.aws.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tandem.aws.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP answers the API gives, as API Gateway payload format 2.0 responses. */
public final class HttpResult {
    private HttpResult() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(Json.write(body))
                .build();
    }

    /** The error body every route answers bad input with (docs/api.md): {@code {"error": "...", "field": "..."}}. */
    public static APIGatewayV2HTTPResponse error(int status, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return json(status, body);
    }

    public static APIGatewayV2HTTPResponse noContent() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of()).build();
    }

    /** A redirect that tells the target nothing of where it came from (the short link's code). */
    public static APIGatewayV2HTTPResponse redirect(String location) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(302)
                .withHeaders(Map.of("location", location, "cache-control", "no-store", "referrer-policy", "no-referrer"))
                .build();
    }

    /**
     * An HTML page a person opens from a message, served from Tandem's own domain: what it may load and run is its
     * {@code contentSecurityPolicy}, it sends no referrer (its URL holds a code), and the browser does not sniff it
     * into anything but HTML.
     */
    public static APIGatewayV2HTTPResponse html(int status, String html, String contentSecurityPolicy) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "text/html; charset=utf-8", "cache-control", "private, no-store",
                        "content-security-policy", contentSecurityPolicy, "referrer-policy", "no-referrer",
                        "x-content-type-options", "nosniff"))
                .withBody(html)
                .build();
    }
}
