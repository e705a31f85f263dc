package dev.tandem.local;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contact routes end to end: HTTP on localhost, API Gateway events, the real handler, the emulator. */
class ApiIT {
    private static LocalApi api;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String id = "api-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws IOException {
        api = new LocalApi(Emulator.functions(Clock.systemUTC()));
        base = "http://127.0.0.1:" + api.start(0);
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.read(r.body(), "");
    }

    private String ana() {
        return "{\"email\":\"" + id + "@example.com\",\"phone\":\"+3361" + (1000000 + Math.abs(id.hashCode() % 8999999))
                + "\",\"timezone\":\"Europe/Paris\",\"consent\":{\"email\":\"subscribed\",\"sms\":\"subscribed\"},"
                + "\"attributes\":{\"firstName\":\"Ana\"}}";
    }

    @Test
    void putsAContactAndReadsItBack() throws Exception {
        assertEquals(201, send("PUT", "/contacts/" + id, ana()).statusCode());

        HttpResponse<String> r = send("GET", "/contacts/" + id, null);

        assertEquals(200, r.statusCode());
        assertEquals(id + "@example.com", json(r).get("email"));
        assertEquals("Europe/Paris", json(r).get("timezone"));
    }

    @Test
    void theSameEventPostedTwiceShowsOnce() throws Exception {
        send("PUT", "/contacts/" + id, ana());
        String event = "{\"eventId\":\"" + id + "-order\",\"contactId\":\"" + id + "\",\"type\":\"conversion\",\"value\":99}";

        assertEquals(200, send("POST", "/events", event).statusCode());
        assertEquals(200, send("POST", "/events", event).statusCode());

        List<?> items = (List<?>) json(send("GET", "/contacts/" + id + "/timeline", null)).get("items");
        assertEquals(1, items.size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON       |PUT |/contacts/{id}|{\"email\":\"x@example.com\"           |",
            "invalid email        |PUT |/contacts/{id}|{\"email\":\"not-an-address\"}           |email",
            "phone not E.164      |PUT |/contacts/{id}|{\"phone\":\"0612345678\"}               |phone",
            "unknown time zone    |PUT |/contacts/{id}|{\"email\":\"x@example.com\",\"timezone\":\"Paris\"}|timezone",
            "invalid consent      |PUT |/contacts/{id}|{\"email\":\"x@example.com\",\"consent\":{\"email\":\"opt-in\"}}|consent.email",
            "event batch too big  |POST|/events       |BATCH                                      |events",
            "event of wrong type  |POST|/events       |{\"eventId\":\"e\",\"contactId\":\"{id}\",\"type\":\"email.open\"}|type",
            "event without id     |POST|/events       |{\"contactId\":\"{id}\",\"type\":\"conversion\"}|eventId",
    })
    void refusesBadBodiesWithA4xxJsonErrorAndLeavesNothingBehind(String name, String method, String path, String body,
                                                                 String field) throws Exception {
        String payload = body.equals("BATCH") ? batchOf(26) : body.replace("{id}", id);

        HttpResponse<String> r = send(method, path.replace("{id}", id), payload);

        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, name + ": " + r.statusCode());
        Map<String, Object> error = json(r);
        assertTrue(error.get("error") instanceof String && !((String) error.get("error")).isEmpty(), name);
        assertEquals(field == null ? "" : field, error.get("field"), name);
        assertEquals(List.of(), Emulator.itemsMentioning(id), name + " left items behind");
    }

    private String batchOf(int n) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(id).append('-').append(i)
                    .append("\",\"contactId\":\"").append(id).append("\",\"type\":\"conversion\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void deleteLeavesNoItemOfTheContactInTheTable() throws Exception {
        send("PUT", "/contacts/" + id, ana());
        send("POST", "/events", "{\"eventId\":\"" + id + "-e1\",\"contactId\":\"" + id + "\",\"type\":\"custom.view\"}");
        assertTrue(Emulator.itemsMentioning(id).size() >= 4, "profile, lookups, event and guard exist");

        assertEquals(204, send("DELETE", "/contacts/" + id, null).statusCode());

        assertEquals(List.of(), Emulator.itemsMentioning(id));
        assertEquals(404, send("GET", "/contacts/" + id, null).statusCode());
    }

    @Test
    void invokesTheSampleEventsOfEventsFolder() throws Exception {
        LocalFunctions functions = Emulator.functions(Clock.systemUTC());
        String put = Files.readString(Emulator.root().resolve("events/api-put-contact.json"));
        String del = Files.readString(Emulator.root().resolve("events/api-delete-contact.json"));
        functions.invoke("ApiFunction", del, functions.context("ApiFunction", true));

        Map<?, ?> created = (Map<?, ?>) Json.read(functions.invoke("ApiFunction", put, functions.context("ApiFunction", true)), "");
        Map<?, ?> events = (Map<?, ?>) Json.read(functions.invoke("ApiFunction",
                Files.readString(Emulator.root().resolve("events/api-post-events.json")), functions.context("ApiFunction", true)), "");

        assertEquals(201, ((Number) created.get("statusCode")).intValue());
        assertEquals(200, ((Number) events.get("statusCode")).intValue());
        functions.invoke("ApiFunction", del, functions.context("ApiFunction", true));
        assertEquals(List.of(), Emulator.itemsMentioning("C#c1"));
    }
}
