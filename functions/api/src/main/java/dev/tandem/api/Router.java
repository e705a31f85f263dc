package dev.tandem.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Matches a method and a raw path against route templates such as {@code /contacts/{id}/timeline}. */
final class Router {
    private final List<Route> routes = new ArrayList<>();

    Router on(String method, String template, Function<ApiHandler.Request, APIGatewayV2HTTPResponse> handler) {
        routes.add(new Route(method, template.split("/"), handler));
        return this;
    }

    /** Every route, as {@code GET /contacts/{id}}. */
    List<String> routes() {
        return routes.stream().map(r -> r.method + " " + String.join("/", r.template)).toList();
    }

    APIGatewayV2HTTPResponse dispatch(ApiHandler.Request request) {
        String[] parts = request.path().split("/");
        boolean pathMatched = false;
        for (Route route : routes) {
            Map<String, String> params = route.match(parts);
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (route.method.equals(request.method())) {
                return route.handler.apply(request.withParams(params));
            }
        }
        if (pathMatched) {
            throw new MethodNotAllowed(request.method() + " is not allowed on " + request.path());
        }
        throw new NotFoundException("path", "no route for " + request.method() + " " + request.path());
    }

    private record Route(String method, String[] template,
                         Function<ApiHandler.Request, APIGatewayV2HTTPResponse> handler) {
        Map<String, String> match(String[] parts) {
            if (parts.length != template.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < parts.length; i++) {
                String t = template[i];
                if (t.startsWith("{") && t.endsWith("}")) {
                    if (parts[i].isEmpty()) {
                        return null;
                    }
                    String name = t.substring(1, t.length() - 1);
                    try {
                        params.put(name, URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidInputException(name, "the path's " + name + " holds a malformed %-escape");
                    }
                } else if (!t.equals(parts[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String message) {
            super(message, null, false, false);
        }
    }
}
