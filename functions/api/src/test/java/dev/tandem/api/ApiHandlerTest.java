package dev.tandem.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tandem.aws.Json;
import dev.tandem.testing.InMemoryContactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.tandem.api.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiHandlerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryContactStore store = new InMemoryContactStore();
    private final ApiHandler api = new ApiHandler(store, CLOCK);

    private APIGatewayV2HTTPResponse call(String method, String path, String body) {
        return api.handleRequest(request(method, path, body), null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(APIGatewayV2HTTPResponse r) {
        return (Map<String, Object>) Json.read(r.getBody(), "");
    }

    private static final String ANA = """
            {"email":"ana@example.com","phone":"+14155550101","timezone":"America/Los_Angeles",
             "consent":{"email":"subscribed","sms":"subscribed"},"attributes":{"firstName":"Ana"}}""";

    @Test
    @SuppressWarnings("unchecked")
    void createsThenReadsAContactWithItsChannelStates() {
        assertEquals(201, call("PUT", "/contacts/c1", ANA).getStatusCode());
        assertEquals(200, call("PUT", "/contacts/c1", ANA).getStatusCode());

        APIGatewayV2HTTPResponse r = call("GET", "/contacts/c1", null);

        assertEquals(200, r.getStatusCode());
        Map<String, Object> body = json(r);
        assertEquals("+14155550101", body.get("phone"));
        Map<String, Object> channels = (Map<String, Object>) body.get("channels");
        assertEquals("reachable", ((Map<String, Object>) channels.get("sms")).get("status"));
        assertEquals("subscribed", ((Map<String, Object>) channels.get("email")).get("consent"));
    }

    @Test
    void anEventPostedTwiceShowsOnceOnTheTimeline() {
        call("PUT", "/contacts/c1", ANA);
        String event = "{\"eventId\":\"order-1\",\"contactId\":\"c1\",\"type\":\"conversion\",\"value\":30}";

        assertEquals(1L, ((Number) json(call("POST", "/events", event)).get("added")).longValue());
        assertEquals(1L, ((Number) json(call("POST", "/events", event)).get("duplicates")).longValue());

        List<?> items = (List<?>) json(call("GET", "/contacts/c1/timeline", null)).get("items");
        assertEquals(1, items.size());
    }

    @Test
    void pagesTheTimelineWithACursor() {
        call("PUT", "/contacts/c1", ANA);
        for (int i = 0; i < 5; i++) {
            call("POST", "/events", "{\"eventId\":\"e" + i + "\",\"contactId\":\"c1\",\"type\":\"custom.view\",\"at\":\"2026-12-01T0" + i + ":00:00Z\"}");
        }
        Map<String, Object> first = json(api.handleRequest(request("GET", "/contacts/c1/timeline", Map.of("limit", "2"), null), null));
        assertEquals(2, ((List<?>) first.get("items")).size());

        Map<String, Object> second = json(api.handleRequest(request("GET", "/contacts/c1/timeline",
                Map.of("limit", "3", "next", (String) first.get("next")), null), null));
        assertEquals(3, ((List<?>) second.get("items")).size());
        assertNull(second.get("next"));
    }

    @Test
    void deleteErasesTheContact() {
        call("PUT", "/contacts/c1", ANA);
        assertEquals(204, call("DELETE", "/contacts/c1", null).getStatusCode());
        assertEquals(404, call("GET", "/contacts/c1", null).getStatusCode());
        assertEquals(404, call("DELETE", "/contacts/c1", null).getStatusCode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                |{\"email\":                                         |",
            "an array                |[]                                                  |",
            "bad email               |{\"email\":\"ana@\"}                                |email",
            "phone not E.164         |{\"phone\":\"415 555 0101\"}                        |phone",
            "unknown zone            |{\"email\":\"a@example.com\",\"timezone\":\"Mars/Base\"}|timezone",
            "bad consent value       |{\"email\":\"a@example.com\",\"consent\":{\"sms\":\"maybe\"}}|consent.sms",
            "unknown field           |{\"email\":\"a@example.com\",\"age\":3}             |age",
            "duplicate key           |{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}|",
    })
    void refusesABadContactBodyWithA400NamingTheFieldAndWritesNothing(String name, String body, String field) {
        APIGatewayV2HTTPResponse r = call("PUT", "/contacts/c9", body);

        assertEquals(400, r.getStatusCode(), name);
        Map<String, Object> error = json(r);
        assertTrue(error.get("error") instanceof String);
        assertEquals(field == null ? "" : field, error.get("field"));
        assertTrue(store.find("c9").isEmpty());
    }

    @Test
    void aDuplicateEmailIsAConflictNamingTheField() {
        call("PUT", "/contacts/c1", ANA);
        APIGatewayV2HTTPResponse r = call("PUT", "/contacts/c2", "{\"email\":\"ana@example.com\"}");
        assertEquals(409, r.getStatusCode());
        assertEquals("email", json(r).get("field"));
    }

    @Test
    void unknownRoutesAndMethodsAreClientErrors() {
        assertEquals(404, call("GET", "/nowhere", null).getStatusCode());
        assertEquals(405, call("PATCH", "/contacts/c1", "{}").getStatusCode());
        assertEquals(400, api.handleRequest(request("GET", "/contacts/c1/timeline", Map.of("limit", "ten"), null), null).getStatusCode());
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        String big = "{\"email\":\"a@example.com\",\"attributes\":{\"x\":\"" + "y".repeat(ApiHandler.MAX_BODY_BYTES) + "\"}}";
        assertEquals(413, call("PUT", "/contacts/c1", big).getStatusCode());
    }

    @Test
    void aBodyIsCountedInBytesOfUtf8NotInCharacters() {
        String cjk = "{\"email\":\"a@example.com\",\"attributes\":{\"x\":\"" + "漢".repeat(ApiHandler.MAX_BODY_BYTES / 2) + "\"}}";
        assertEquals(413, call("PUT", "/contacts/c1", cjk).getStatusCode(), "fewer characters than the limit, three times as many bytes");
    }

    /**
     * API Gateway sends a request to the function only on a route template.yaml declares: every route the handler
     * answers has its HttpApi event there, and the template declares none the handler lacks.
     */
    @org.junit.jupiter.api.Test
    void everyRouteIsDeclaredOnTheHttpApi() throws java.io.IOException {
        String template = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("tandem.root", "../.."), "template.yaml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Method: (\\w+)\\s+Path: (\\S+)").matcher(template);
        java.util.Set<String> declared = new java.util.TreeSet<>();
        while (m.find()) {
            declared.add(m.group(1) + " " + m.group(2));
        }
        org.junit.jupiter.api.Assertions.assertEquals(new java.util.TreeSet<>(api.routes()), declared);
    }
}
