package dev.tandem.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tandem.app.ContactService;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import dev.tandem.aws.http.HttpResult;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.port.ContactStore;
import dev.tandem.validation.ConflictException;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ApiFunction}: the HTTP API of contract section 5, behind API Gateway (HTTP API, payload format 2.0).
 * Parses the request, calls the domain, formats the answer; nothing else.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final ContactService contacts;
    private final Clock clock;
    private final Router router;

    /** For Lambda: clients built once, configuration read once, from the environment template.yaml sets. */
    public ApiHandler() {
        this(Env.system(), Clock.systemUTC());
    }

    /** For the local stack and the simulator: the same wiring, from a given environment and clock. */
    public ApiHandler(Env env, Clock clock) {
        this(new DynamoContactStore(Clients.dynamo(), StoreConfig.from(env)), clock);
    }

    public ApiHandler(ContactStore store, Clock clock) {
        this.contacts = new ContactService(store);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.router = new Router()
                .on("PUT", "/contacts/{id}", this::putContact)
                .on("GET", "/contacts/{id}", r -> HttpResult.json(200, Views.contact(contacts.get(r.path("id")))))
                .on("DELETE", "/contacts/{id}", this::deleteContact)
                .on("GET", "/contacts/{id}/timeline", this::timeline)
                .on("POST", "/events", this::postEvents);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            return router.dispatch(Request.of(event));
        } catch (InvalidInputException e) {
            return HttpResult.error(400, e.getMessage(), e.field());
        } catch (NotFoundException e) {
            return HttpResult.error(404, e.getMessage(), e.field());
        } catch (ConflictException e) {
            return HttpResult.error(409, e.getMessage(), e.field());
        } catch (Router.MethodNotAllowed e) {
            return HttpResult.error(405, e.getMessage(), "method");
        } catch (RuntimeException e) {
            Log.error(context, "request failed", Map.of("path", String.valueOf(event == null ? null : event.getRawPath())), e);
            return HttpResult.error(500, "internal error; the request may be retried", null);
        }
    }

    private APIGatewayV2HTTPResponse putContact(Request r) {
        boolean existed = false;
        try {
            contacts.get(r.path("id"));
            existed = true;
        } catch (NotFoundException e) {
            existed = false;
        }
        var c = contacts.put(r.path("id"), r.json(), clock.instant());
        return HttpResult.json(existed ? 200 : 201, Views.contact(contacts.get(c.id())));
    }

    private APIGatewayV2HTTPResponse deleteContact(Request r) {
        contacts.erase(r.path("id"));
        return HttpResult.noContent();
    }

    private APIGatewayV2HTTPResponse timeline(Request r) {
        Integer limit = r.queryInt("limit");
        ContactStore.TimelinePage page = contacts.timeline(r.path("id"), limit, r.query("next"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", Views.events(page.items()));
        body.put("next", page.next());
        return HttpResult.json(200, body);
    }

    private APIGatewayV2HTTPResponse postEvents(Request r) {
        List<ContactStore.Appended> appended = contacts.post(r.json(), clock.instant());
        long added = appended.stream().filter(ContactStore.Appended::added).count();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("added", added);
        body.put("duplicates", appended.size() - added);
        body.put("results", appended.stream()
                .map(a -> {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("eventId", a.eventId());
                    one.put("status", a.added() ? "added" : "duplicate");
                    return one;
                })
                .toList());
        return HttpResult.json(200, body);
    }

    /** A request as the routes see it. */
    record Request(String method, String path, Map<String, String> params, Map<String, String> query,
                   Map<String, String> headers, String body) {

        static Request of(APIGatewayV2HTTPEvent e) {
            if (e == null) {
                throw new InvalidInputException("", "no request");
            }
            String method = e.getRequestContext() != null && e.getRequestContext().getHttp() != null
                    ? e.getRequestContext().getHttp().getMethod() : null;
            String path = e.getRawPath() != null ? e.getRawPath()
                    : e.getRequestContext() != null && e.getRequestContext().getHttp() != null
                    ? e.getRequestContext().getHttp().getPath() : null;
            if (method == null || path == null) {
                throw new InvalidInputException("", "the event is not an API Gateway payload format 2.0 request");
            }
            String body = e.getBody();
            if (body != null && e.getIsBase64Encoded()) {
                try {
                    body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException ex) {
                    throw new InvalidInputException("", "the body is not valid base64");
                }
            }
            if (body != null && body.length() > MAX_BODY_BYTES) {
                throw new InvalidInputException("", "the body must be at most " + MAX_BODY_BYTES + " bytes");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (e.getHeaders() != null) {
                e.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            }
            return new Request(method.toUpperCase(java.util.Locale.ROOT), path, Map.of(),
                    e.getQueryStringParameters() == null ? Map.of() : e.getQueryStringParameters(), headers, body);
        }

        Request withParams(Map<String, String> p) {
            return new Request(method, path, p, query, headers, body);
        }

        String path(String name) {
            return params.get(name);
        }

        String query(String name) {
            String v = query.get(name);
            return v == null || v.isEmpty() ? null : v;
        }

        Integer queryInt(String name) {
            String v = query(name);
            if (v == null) {
                return null;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException ex) {
                throw new InvalidInputException(name, name + " must be a whole number");
            }
        }

        Object json() {
            return Json.read(body, "");
        }
    }
}
