package dev.tandem.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.util.Map;

/** API Gateway payload format 2.0 requests, as HTTP API builds them. */
final class Requests {
    private Requests() {
    }

    static APIGatewayV2HTTPEvent request(String method, String path, String body) {
        return request(method, path, Map.of(), body);
    }

    static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> query, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(Map.of("content-type", "application/json", "host", "api.example.com"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("api.example.com")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withSourceIp("203.0.113.9").build())
                        .build())
                .build();
    }
}
