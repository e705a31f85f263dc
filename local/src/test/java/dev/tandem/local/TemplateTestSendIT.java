package dev.tandem.local;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Template locales and test sends end to end: HTTP on localhost, the real API handler, the emulator's SES and SNS. */
class TemplateTestSendIT {
    private static LocalApi api;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws IOException {
        api = new LocalApi(Emulator.functions(Clock.systemUTC()));
        base = "http://127.0.0.1:" + api.start(0);
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    private static HttpResponse<String> send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.read(r.body(), "");
    }

    private String phone(int n) {
        return "+3361" + (1000000 + Math.floorMod((run + n).hashCode(), 8999999));
    }

    private String contact(String id, String consent, String locale) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("email", id + "@example.com", "phone", phone(id.length() + id.hashCode()),
                "consent", Map.of("email", consent, "sms", consent), "attributes", Map.of("firstName", "Ana")));
        if (locale != null) {
            body.put("locale", locale);
        }
        HttpResponse<String> r = send("PUT", "/contacts/" + id, body);
        assertEquals(201, r.statusCode(), r.body());
        return id;
    }

    private String welcome() throws Exception {
        String id = "welcome-" + run;
        HttpResponse<String> r = send("PUT", "/templates/" + id, Map.of("channel", "email", "subject", "Hello {{contact.firstName}}",
                "body", "<p>Hi {{contact.firstName}}</p>",
                "locales", Map.of("fr", Map.of("subject", "Bonjour {{contact.firstName}}", "body", "<p>Salut {{contact.firstName}}</p>"))));
        assertEquals(200, r.statusCode(), r.body());
        return id;
    }

    @Test
    void aContactsLocaleIsKeptShownAndChecked() throws Exception {
        String id = contact("loc-" + run, "subscribed", "fr-ca");

        assertEquals("fr-CA", json(send("GET", "/contacts/" + id, null)).get("locale"));
        assertEquals("fr-CA", ((Map<?, ?>) json(send("GET", "/contacts/" + id + "/export", null)).get("profile")).get("locale"));
        HttpResponse<String> bad = send("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "locale", "français"));
        assertEquals(400, bad.statusCode());
        assertEquals("locale", json(bad).get("field"));
        assertEquals(200, send("PUT", "/contacts/" + id, Map.of("email", id + "@example.com")).statusCode());
        assertTrue(!json(send("GET", "/contacts/" + id, null)).containsKey("locale"), "a PUT without locale clears it");
    }

    @Test
    void aTemplatesLocalesAreStoredAndAnSmsLocaleThatCannotFitRefusesTheCampaign() throws Exception {
        String t = welcome();
        assertEquals("Bonjour {{contact.firstName}}", ((Map<?, ?>) ((Map<?, ?>) json(send("GET", "/templates/" + t, null))
                .get("locales")).get("fr")).get("subject"));
        HttpResponse<String> badKey = send("PUT", "/templates/x-" + run, Map.of("channel", "sms", "body", "Hi",
                "locales", Map.of("fr_FR", Map.of("body", "Salut"))));
        assertEquals(400, badKey.statusCode());
        assertEquals("locales.fr_FR", json(badKey).get("field"));

        String sms = "long-" + run;
        assertEquals(200, send("PUT", "/templates/" + sms, Map.of("channel", "sms", "body", "Sale {{link}}",
                "locales", Map.of("de", Map.of("body", "x".repeat(1200) + " {{link}}")))).statusCode());
        HttpResponse<String> campaign = send("PUT", "/campaigns/c-" + run, Map.of("playbook", "best-channel", "sms", sms,
                "link", "https://shop.example.com"));

        assertEquals(400, campaign.statusCode(), campaign.body());
        assertEquals("locales.de.body", json(campaign).get("field"));
    }

    @Test
    void aTestToAContactGoesOnceInItsLocaleMarkedAndLeavesItsTimelineEmpty() throws Exception {
        String t = welcome();
        String id = contact("tst-" + run, "subscribed", "fr-CA");
        int before = Moto.emails().size();

        HttpResponse<String> r = send("POST", "/templates/" + t + "/test", Map.of("contact", id));

        assertEquals(202, r.statusCode(), r.body());
        Map<String, Object> out = json(r);
        assertEquals("[Test] Bonjour Ana", out.get("subject"));
        assertEquals(true, out.get("test"));
        assertEquals(id + "@example.com", out.get("to"));
        List<Moto.SentEmail> sent = Moto.emails().stream().filter(e -> e.to().contains(id + "@example.com")).toList();
        assertEquals(1, sent.size(), "exactly one message");
        assertEquals("[Test] Bonjour Ana", sent.get(0).subject());
        assertEquals(before + 1, Moto.emails().size());
        assertEquals(List.of(), json(send("GET", "/contacts/" + id + "/timeline", null)).get("items"), "no sent event");
    }

    @Test
    void aTestSmsToANumberRendersTheGivenValues() throws Exception {
        String t = "alert-" + run;
        assertEquals(200, send("PUT", "/templates/" + t, Map.of("channel", "sms", "body", "Hi {{contact.firstName}}, sale today")).statusCode());
        String to = phone(99);

        Map<String, Object> body = Map.of("to", to, "values", Map.of("firstName", "Zoe"), "testId", "try-" + run);
        HttpResponse<String> r = send("POST", "/templates/" + t + "/test", body);
        HttpResponse<String> retried = send("POST", "/templates/" + t + "/test", body);

        assertEquals(202, r.statusCode(), r.body());
        assertEquals(409, retried.statusCode(), retried.body());
        assertEquals("testId", json(retried).get("field"), "a retried request sends nothing more");
        assertEquals("[Test] Hi Zoe, sale today", json(r).get("text"));
        List<Moto.SentSms> sent = Moto.sms().stream().filter(s -> s.phoneNumber().equals(to)).toList();
        assertEquals(1, sent.size());
        assertEquals("[Test] Hi Zoe, sale today", sent.get(0).message());
    }

    @Test
    void aContactWhoUnsubscribedIsRefusedAndBadRequestsNameTheirField() throws Exception {
        String t = welcome();
        String no = contact("no-" + run, "unsubscribed", null);
        int before = Moto.emails().size();

        HttpResponse<String> refused = send("POST", "/templates/" + t + "/test", Map.of("contact", no));
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("contact", json(refused).get("field"));

        Map<Object, String> bad = new java.util.LinkedHashMap<>();
        bad.put(Map.of(), "contact");
        bad.put(Map.of("contact", no, "to", "a@example.com"), "to");
        bad.put(Map.of("to", "+14155550199"), "to");
        bad.put(Map.of("to", "a@example.com", "subject", "x"), "subject");
        for (Map.Entry<Object, String> e : bad.entrySet()) {
            HttpResponse<String> r = send("POST", "/templates/" + t + "/test", e.getKey());
            assertEquals(400, r.statusCode(), e.getKey() + ": " + r.body());
            assertEquals(e.getValue(), json(r).get("field"), e.getKey().toString());
        }
        assertEquals(404, send("POST", "/templates/" + t + "/test", Map.of("contact", "nobody-" + run)).statusCode());
        assertEquals(404, send("POST", "/templates/none-" + run + "/test", Map.of("contact", no)).statusCode());
        assertEquals(before, Moto.emails().size(), "nothing went");
    }
}
