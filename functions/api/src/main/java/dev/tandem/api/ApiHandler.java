package dev.tandem.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tandem.app.CampaignService;
import dev.tandem.app.ContactService;
import dev.tandem.app.Sweep;
import dev.tandem.decide.DecisionLine;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.EngagementStore;
import dev.tandem.port.ItemTooLargeException;
import dev.tandem.port.Pacer;
import dev.tandem.port.Schedules;
import dev.tandem.report.Report;
import dev.tandem.report.ReportPage;
import dev.tandem.aws.store.DynamoCampaignStore;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.DynamoEngagementStore;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import dev.tandem.aws.Priming;
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
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code ApiFunction}: the HTTP API (docs/api.md), behind API Gateway (HTTP API, payload format 2.0).
 * Parses the request, calls the domain, formats the answer; nothing else.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final ContactService contacts;
    private final CampaignService campaigns;
    private final dev.tandem.app.SegmentService segments;
    private final dev.tandem.app.ContactExport export;
    private final dev.tandem.app.TestSends tests;
    private final String publicBaseUrl;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Router router;

    /** For Lambda: clients built once, configuration read once, from the environment template.yaml sets. */
    public ApiHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("ApiFunction", this::prime);
    }

    /** For the local stack and the simulator: the same wiring, from a given environment and clock. */
    public ApiHandler(Env env, Clock clock) {
        this(wire(env), env.optional("PUBLIC_BASE_URL"), clock, () -> UUID.randomUUID().toString());
    }

    /**
     * SnapStart priming: a read of a contact that does not exist and a body that fails validation, through
     * the whole handler. Nothing is written.
     */
    public void prime() {
        handleRequest(Priming.request("GET", "/contacts/" + Priming.ID, null), null);
        handleRequest(Priming.request("PUT", "/contacts/" + Priming.ID, "{\"email\":\"not an address\"}"), null);
        handleRequest(Priming.request("GET", "/l/" + Priming.ID + Priming.ID, null), null);
    }

    private static Services wire(Env env) {
        StoreConfig config = StoreConfig.from(env);
        DynamoContactStore contacts = new DynamoContactStore(Clients.dynamo(), config);
        DynamoCampaignStore campaigns = new DynamoCampaignStore(Clients.dynamo(), config);
        DynamoDecisionStore decisions = new DynamoDecisionStore(Clients.dynamo(), config, contacts, campaigns);
        DynamoEngagementStore engagements = new DynamoEngagementStore(Clients.dynamo(), config);
        Schedules schedules = new EventBridgeSchedules(EventBridgeSchedules.client(), env.require("SCHEDULE_GROUP"),
                env.require("DECIDER_ARN"), env.require("SCHEDULER_ROLE_ARN"));
        // Test sends go out as the sender's messages do: from the same address, through the same configuration set.
        dev.tandem.app.TestSends tests = new dev.tandem.app.TestSends(campaigns, contacts, engagements,
                new dev.tandem.aws.ses.SesEmailSender(dev.tandem.aws.ses.SesEmailSender.client(), env.require("SENDER_EMAIL"),
                        env.optional("CONFIGURATION_SET")),
                new dev.tandem.aws.sns.SnsSmsSender(dev.tandem.aws.sns.SnsSmsSender.client(), env.optional("SMS_ORIGINATION_NUMBER"),
                        env.optional("SMS_SENDER_ID")),
                new dev.tandem.aws.store.DynamoTestSendLog(Clients.dynamo(), config));
        return new Services(contacts, campaigns, decisions, engagements, schedules, tests);
    }

    /** What the routes work with: the stores, the scheduler and the test sends. */
    public record Services(ContactStore contacts, CampaignStore campaigns, DecisionStore decisions,
                           EngagementStore engagements, Schedules schedules, dev.tandem.app.TestSends tests) {
    }

    public ApiHandler(ContactStore store, Clock clock) {
        this(new Services(store, null, null, null, null, null), null, clock, () -> UUID.randomUUID().toString());
    }

    public ApiHandler(Services services, String publicBaseUrl, Clock clock, Supplier<String> ids) {
        this.contacts = new ContactService(services.contacts(), services.decisions() == null || services.campaigns() == null ? null
                : new dev.tandem.app.Goals(services.decisions(), services.campaigns()),
                services.campaigns() == null ? null : services.campaigns()::policy);
        this.campaigns = services.campaigns() == null ? null : new CampaignService(services.campaigns(), services.decisions(),
                services.engagements(), services.schedules(), previewSweep(services.decisions()));
        this.segments = services.decisions() == null ? null
                : new dev.tandem.app.SegmentService(services.decisions(), services.decisions().shards());
        this.export = services.campaigns() == null ? null : new dev.tandem.app.ContactExport(services.contacts(), services.campaigns());
        this.tests = services.tests();
        this.publicBaseUrl = publicBaseUrl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.router = new Router()
                .on("PUT", "/contacts/{id}", this::putContact)
                .on("GET", "/contacts/{id}", r -> HttpResult.json(200, Views.contact(contacts.get(r.path("id")))))
                .on("DELETE", "/contacts/{id}", this::deleteContact)
                .on("GET", "/contacts/{id}/timeline", this::timeline)
                .on("GET", "/contacts/{id}/export", this::exportContact)
                .on("PUT", "/segments/{id}", r -> HttpResult.json(200, segmentView(segments().put(r.path("id"), r.json()))))
                .on("GET", "/segments/{id}", r -> HttpResult.json(200, segmentView(segments().get(r.path("id")))))
                .on("GET", "/segments/{id}/count", r -> HttpResult.json(200, Map.of("count", segments().count(r.path("id"), clock.instant()))))
                .on("GET", "/segments/{id}/contacts", this::segmentContacts)
                .on("POST", "/events", this::postEvents)
                .on("PUT", "/templates/{id}", r -> HttpResult.json(200, withId(r.path("id"), campaigns().putTemplate(r.path("id"), r.json(), base(r)).toMap())))
                .on("GET", "/templates/{id}", r -> HttpResult.json(200, withId(r.path("id"), campaigns().template(r.path("id")).toMap())))
                .on("POST", "/templates/{id}/test", this::testSend)
                .on("PUT", "/campaigns/{id}", r -> HttpResult.json(200, withId(r.path("id"),
                        campaigns().putCampaign(r.path("id"), r.json(), base(r)).toMap())))
                .on("GET", "/campaigns/{id}", r -> HttpResult.json(200, withId(r.path("id"), campaigns().campaign(r.path("id")).toMap())))
                .on("POST", "/campaigns/{id}/launch", this::launch)
                .on("POST", "/campaigns/{id}/preview", this::preview)
                .on("GET", "/campaigns/{id}/stats", r -> HttpResult.json(200, campaigns().stats(r.path("id"))))
                .on("GET", "/campaigns/{id}/report", r -> HttpResult.html(200,
                        ReportPage.render(Report.of(campaigns().report(r.path("id")))), ReportPage.CONTENT_SECURITY_POLICY))
                .on("PUT", "/policy", r -> HttpResult.json(200, campaigns().putPolicy(r.json(), base(r)).toMap()))
                .on("GET", "/policy", r -> HttpResult.json(200, campaigns().policy().toMap()))
                .on("GET", "/l/{code}", r -> HttpResult.redirect(campaigns().click(r.path("code"), r.requestId(),
                        r.headers().get("user-agent"), clock.instant())))
                .on("GET", "/v/{code}", r -> HttpResult.html(200, campaigns().view(r.path("code")).html(), Pages.WEB_VERSION_POLICY))
                .on("GET", "/u/{code}", this::unsubscribePage)
                .on("POST", "/u/{code}", r -> {
                    campaigns().unsubscribe(r.path("code"), clock.instant(), dev.tandem.contact.Consent.evidence(
                            "ip", r.headers().get(SOURCE_IP), "userAgent", r.headers().get("user-agent")));
                    return HttpResult.html(200, Pages.unsubscribed(), Pages.FORM_POLICY);
                });
    }

    /** Preview decides as the decider would and queues nothing: its queue refuses to be called. */
    private static Sweep previewSweep(DecisionStore decisions) {
        if (decisions == null) {
            return null;
        }
        return new Sweep(decisions,
                jobs -> {
                    throw new IllegalStateException("preview queues nothing");
                },
                () -> "preview",
                new Sweep.Settings("https://preview.invalid", java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(2),
                        200, 50, 50, 1, 0));
    }

    private dev.tandem.app.SegmentService segments() {
        if (segments == null) {
            throw new NotFoundException("path", "segment routes are not wired in this handler");
        }
        return segments;
    }

    private static Map<String, Object> segmentView(dev.tandem.audience.Segment s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("where", s.where());
        return out;
    }

    private APIGatewayV2HTTPResponse segmentContacts(Request r) {
        dev.tandem.app.SegmentService.Members m = segments().members(r.path("id"), r.queryInt("limit"), r.query("next"), clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contacts", m.contacts());
        body.put("next", m.next());
        return HttpResult.json(200, body);
    }

    private APIGatewayV2HTTPResponse exportContact(Request r) {
        if (export == null) {
            throw new NotFoundException("path", "export is not wired in this handler");
        }
        dev.tandem.app.ContactExport.Export e = export.export(r.path("id"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("profile", Views.contact(e.contact()));
        body.put("consentHistory", e.consent().stream().map(dev.tandem.contact.ConsentEntry::toMap).toList());
        body.put("timeline", Views.events(e.timeline()));
        List<Map<String, Object>> messages = new java.util.ArrayList<>();
        for (dev.tandem.app.ContactExport.Message m : e.messages()) {
            Map<String, Object> msg = new LinkedHashMap<>(Views.event(m.sent()));
            if (m.subject() != null) {
                msg.put("subject", m.subject());
            }
            if (m.text() != null) {
                msg.put("text", m.text());
            }
            if (m.html() != null) {
                msg.put("html", m.html());
            }
            messages.add(msg);
        }
        body.put("messages", messages);
        return HttpResult.json(200, body);
    }

    private CampaignService campaigns() {
        if (campaigns == null) {
            throw new NotFoundException("path", "campaign routes are not wired in this handler");
        }
        return campaigns;
    }

    /** Where /l, /v and /u are served: the configured public URL, else the API's own domain. */
    private String base(Request r) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        return "https://" + r.headers().getOrDefault("host", "localhost");
    }

    private static Map<String, Object> withId(String id, Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.putAll(body);
        return out;
    }

    private APIGatewayV2HTTPResponse launch(Request r) {
        Object body = r.jsonOrEmpty();
        CampaignService.Launched l = campaigns().launch(r.path("id"), body, ids.get(), clock.instant());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign", l.launch().campaign());
        out.put("launchId", l.launch().launchId());
        out.put("at", l.launch().at().toString());
        if (l.launch().localAt() != null) {
            out.put("localAt", l.launch().localAt().toString());
            out.put("timezone", l.launch().zone());
        }
        out.put("audience", l.launch().segment() != null ? Map.of("segment", l.launch().segment())
                : l.launch().everyone() ? "all" : l.launch().audience());
        if (l.launch().recurrence()) {
            out.put("recurring", true);
        }
        if (l.schedule() != null) {
            out.put("schedule", l.schedule());
        }
        return HttpResult.json(202, out);
    }

    /** One message marked as a test, outside every campaign, cap and count: 202 with what went. */
    private APIGatewayV2HTTPResponse testSend(Request r) {
        if (tests == null) {
            throw new NotFoundException("path", "test sends are not wired in this handler");
        }
        dev.tandem.app.TestSends.Sent sent = tests.send(r.path("id"), r.jsonOrEmpty(), clock.instant());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", sent.channel().wire());
        out.put("to", sent.to());
        out.put("messageId", sent.messageId());
        if (sent.subject() != null) {
            out.put("subject", sent.subject());
        }
        if (sent.text() != null) {
            out.put("text", sent.text());
        }
        out.put("test", true);
        return HttpResult.json(202, out);
    }

    private APIGatewayV2HTTPResponse preview(Request r) {
        Object body = r.jsonOrEmpty();
        List<DecisionLine> lines = campaigns().preview(r.path("id"), body, clock.instant());
        return HttpResult.json(200, Map.of("decisions", lines.stream().map(DecisionLine::toMap).toList()));
    }

    private APIGatewayV2HTTPResponse unsubscribePage(Request r) {
        String code = campaigns().unsubscribeTarget(r.path("code")).code();
        return HttpResult.html(200, Pages.confirmUnsubscribe(code), Pages.FORM_POLICY);
    }

    /** The routes this handler answers, as {@code GET /contacts/{id}}: each needs its event on the HTTP API. */
    List<String> routes() {
        return router.routes();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            return answer(event, context);
        } finally {
            // Conversions, clicks and unsubscribes the request recorded, as metrics.
            dev.tandem.aws.Funnel.flush(context, clock.instant());
        }
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context) {
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
        } catch (TooLarge e) {
            return HttpResult.error(413, e.getMessage(), "");
        } catch (ItemTooLargeException e) {
            return HttpResult.error(413, "what the request would store is over the store's size limit", "");
        } catch (ContactStore.ConcurrentChangeException e) {
            return HttpResult.error(409, e.getMessage() + "; read it again and retry", "");
        } catch (RuntimeException e) {
            // The route's shape, not the path: a path can hold a contact id, and an id may be an email address.
            Log.error(context, "request failed", Map.of("route", shape(event)), e);
            return HttpResult.error(500, "internal error; the request may be retried", null);
        }
    }

    /** {@code GET /contacts/{}/timeline} for {@code GET /contacts/ana@example.com/timeline}. */
    static String shape(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRawPath() == null) {
            return "none";
        }
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "?";
        String[] parts = event.getRawPath().split("/");
        StringBuilder b = new StringBuilder(method).append(' ');
        for (int i = 1; i < parts.length; i++) {
            b.append('/').append(i % 2 == 0 ? "{}" : parts[i].replaceAll("[^a-z]", ""));
        }
        return b.toString();
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

    /** A body over the size the API takes: 413. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** The request's source address as API Gateway saw it, kept among the headers. */
    static final String SOURCE_IP = "x-tandem-source-ip";

    /** A request as the routes see it. */
    record Request(String method, String path, Map<String, String> params, Map<String, String> query,
                   Map<String, String> headers, String body, String requestId) {

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
            if (body != null && utf8Length(body) > MAX_BODY_BYTES) {
                throw new TooLarge("the body must be at most " + MAX_BODY_BYTES + " bytes of UTF-8");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (e.getHeaders() != null) {
                e.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            }
            String requestId = e.getRequestContext() != null && e.getRequestContext().getRequestId() != null
                    ? e.getRequestContext().getRequestId() : UUID.randomUUID().toString();
            if (e.getRequestContext() != null && e.getRequestContext().getDomainName() != null) {
                headers.putIfAbsent("host", e.getRequestContext().getDomainName());
            }
            // The address API Gateway saw, under a name no client can set: evidence of who unsubscribed.
            headers.remove(SOURCE_IP);
            if (e.getRequestContext() != null && e.getRequestContext().getHttp() != null
                    && e.getRequestContext().getHttp().getSourceIp() != null) {
                headers.put(SOURCE_IP, e.getRequestContext().getHttp().getSourceIp());
            }
            return new Request(method.toUpperCase(java.util.Locale.ROOT), path, Map.of(),
                    e.getQueryStringParameters() == null ? Map.of() : e.getQueryStringParameters(), headers, body, requestId);
        }

        /** The UTF-8 length of a text: a CJK character is three bytes, which a character count misses. */
        static long utf8Length(String s) {
            long n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    n += 1;
                } else if (c < 0x800) {
                    n += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else {
                    n += 3;
                }
            }
            return n;
        }

        Request withParams(Map<String, String> p) {
            return new Request(method, path, p, query, headers, body, requestId);
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

        /** The body, or an empty object when there is none: launch and preview take their defaults then. */
        Object jsonOrEmpty() {
            return body == null || body.isBlank() ? Map.of() : json();
        }
    }
}
