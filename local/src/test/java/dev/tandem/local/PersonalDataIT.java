package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pages, links and personal data: what a person's browser is told about /v and /u, which links a message may carry,
 * which clicks count, and that no address, number or message text reaches a log line.
 */
class PersonalDataIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void untap() {
        Log.tap(null);
        RequestCounter.INSTANCE.stopFailing();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decide(LocalFunctions functions) {
        return (Map<String, Object>) Json.read(functions.decideAndSend("{\"source\":\"schedule\"}",
                functions.context("DeciderFunction", true)), "");
    }

    /** An email-first campaign sent to one contact whose attributes hold a script URL; the follow-up SMS a day later. */
    private record Sent(LocalClient api, String contact, String email, String smsCode, SimClock clock, LocalFunctions functions) {
    }

    private Sent sendOne(String table) {
        SimClock clock = new SimClock(T0);
        LocalFunctions functions = new LocalFunctions(Emulator.template(), clock, Map.of("TABLE_NAME", table,
                "SES_RATE_PER_SECOND", "500", "SMS_RATE_PER_SECOND", "500", "DECISION_ECHO", "100"));
        LocalClient api = new LocalClient(functions);
        api.ok("PUT", "/templates/e-" + run, Map.of("channel", "email", "subject", "Your picks",
                "body", "<p><a href=\"{{contact.site}}\">your page</a> <a href=\"{{contact.shop}}\">shop</a></p>"));
        api.ok("PUT", "/templates/s-" + run, Map.of("channel", "sms", "body", "{{campaign.topic}}: {{link}}"));
        api.ok("PUT", "/campaigns/w-" + run, Map.of("topic", "Winter", "playbook", "email-first", "email", "e-" + run, "sms", "s-" + run));
        String id = "pd-" + run;
        api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", "+1617" + String.format("%07d", Math.floorMod(run.hashCode(), 10_000_000)),
                "timezone", "America/Los_Angeles", "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", Map.of("site", "javascript:alert(document.domain)", "shop", "https://shop.example.com/a")));
        api.ok("POST", "/campaigns/w-" + run + "/launch", Map.of("audience", List.of(id)));
        decide(functions);
        String email = Moto.emails().stream().filter(e -> e.to().contains(id + "@example.com")).findFirst().orElseThrow().body();
        clock.advance(Duration.ofHours(24));
        decide(functions);
        String phone = (String) api.ok("GET", "/contacts/" + id, null).json().get("phone");
        String sms = Moto.sms().stream().filter(s -> s.phoneNumber().equals(phone)).findFirst().orElseThrow().message();
        return new Sent(api, id, email, sms.substring(sms.indexOf("/l/") + 3), clock, functions);
    }

    @Test
    void pagesAMessageLinksToTellTheBrowserWhatTheyMayDoAndOnlyWebLinksSurvive() {
        String table = Emulator.freshTable("pd-pages");
        Sent s = sendOne(table);

        assertFalse(s.email().contains("javascript:"), "an attribute's script URL is no link: " + s.email());
        assertTrue(s.email().contains("href=\"https://shop.example.com/a\""), s.email());
        LocalClient.Response redirect = s.api().call("GET", "/l/" + s.smsCode(), null);
        assertEquals(302, redirect.status());
        assertEquals("no-referrer", redirect.headers().get("referrer-policy"));
        String view = redirect.headers().get("location");
        LocalClient.Response web = s.api().call("GET", view.substring(view.indexOf("/v/")), null);
        assertEquals(200, web.status());
        String csp = web.headers().get("content-security-policy");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("sandbox") && !csp.contains("script-src"), csp);
        assertEquals("no-referrer", web.headers().get("referrer-policy"));
        assertEquals("nosniff", web.headers().get("x-content-type-options"));

        String unsubscribe = Emulator.itemsMentioning(table, s.contact()).stream()
                .filter(i -> "unsubscribe".equals(i.get("type").s())).map(i -> i.get("PK").s().substring("UNSUB#".length()))
                .findFirst().orElseThrow();
        LocalClient.Response page = s.api().call("GET", "/u/" + unsubscribe, null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("action=\"./" + unsubscribe + "\""), "relative to the page, so it works behind a prefix: " + page.body());
        assertTrue(page.headers().get("content-security-policy").contains("form-action 'self'"));
        assertEquals("nosniff", page.headers().get("x-content-type-options"));
        assertEquals("no-referrer", s.api().call("POST", "/u/" + unsubscribe, "List-Unsubscribe=One-Click").headers().get("referrer-policy"));
    }

    @Test
    void aRepeatedClickAndALinkPreviewAreNotEngagement() {
        String table = Emulator.freshTable("pd-clicks");
        Sent s = sendOne(table);
        LocalClient api = s.api();

        assertEquals(302, api.call("GET", "/l/" + s.smsCode(), null, Map.of("user-agent",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 "
                        + "facebookexternalhit/1.1 Facebot Twitterbot/1.0")).status());
        assertEquals(302, api.call("GET", "/l/" + s.smsCode(), null, Map.of("user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1)")).status());
        assertEquals(302, api.call("GET", "/l/" + s.smsCode(), null, Map.of("user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1)")).status());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clicks = ((List<Map<String, Object>>) api.ok("GET", "/contacts/" + s.contact() + "/timeline", null)
                .json().get("items")).stream().filter(e -> "sms.click".equals(e.get("type"))).toList();
        assertEquals(1, clicks.stream().filter(c -> Boolean.TRUE.equals(c.get("machine"))).count(), "the preview, as a machine's");
        assertEquals(1, clicks.stream().filter(c -> !Boolean.TRUE.equals(c.get("machine"))).count(), "the person's two taps, once");
        @SuppressWarnings("unchecked")
        Map<String, Object> sms = (Map<String, Object>) api.ok("GET", "/campaigns/w-" + run + "/stats", null).json().get("sms");
        assertEquals(1L, ((Number) sms.get("clicks")).longValue());
    }

    private static SQSEvent.SQSMessage record(String id, String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        m.setAttributes(Map.of("SentTimestamp", Long.toString(System.currentTimeMillis())));
        return m;
    }

    @Test
    void noAddressNumberOrMessageTextReachesALogLine() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Log.tap(lines::add);
        // The demo's whole traffic: ten contacts, both channels, replies, a STOP, bounces...
        Path demo = Emulator.root().resolve("events/scenarios/demo.json");
        String table = new Bootstrap(Emulator.template()).tableCopy("TandemTable", "pd-logs-" + run);
        try {
            new Simulator(Emulator.template(), Scenario.read(demo), Simulator.overrides(table),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
        } finally {
            new Bootstrap(Emulator.template()).dropTable(table);
        }
        List<String> secrets = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> scenario = (Map<String, Object>) Json.read(Files.readString(demo), "");
        for (Object c : (List<?>) scenario.get("contacts")) {
            Map<?, ?> m = (Map<?, ?>) c;
            if (m.get("email") != null) {
                secrets.add((String) m.get("email"));
            }
            if (m.get("phone") != null) {
                secrets.add((String) m.get("phone"));
            }
        }
        // ...and what goes wrong on the way: a failing route whose path holds an address, a notification malformed around
        // an address, a store error while a record that names one is handled.
        LocalFunctions functions = Emulator.functions(Clock.systemUTC());
        LocalClient api = new LocalClient(functions);
        String address = "leak-" + run + "@example.com";
        secrets.add(address);
        RequestCounter.INSTANCE.fail("DynamoDb.GetItem", r -> true, 500, "InternalServerError");
        assertEquals(500, api.call("GET", "/contacts/" + address, null).status());
        RequestCounter.INSTANCE.stopFailing();
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(record("m1", Json.write(Map.of("Type", "Notification", "MessageId", "x",
                "Message", Json.write(Map.of("eventType", "Open", "mail", Map.of("messageId", "m", "destination", List.of(address)),
                        "open", Map.of("timestamp", address))))))));
        functions.call("EmailEventsFunction", batch, functions.context("EmailEventsFunction", true));
        RequestCounter.INSTANCE.fail("DynamoDb.GetItem", r -> true, 500, "InternalServerError");
        SQSEvent sms = new SQSEvent();
        sms.setRecords(List.of(record("m2", Json.write(Map.of("Type", "Notification", "MessageId", "y",
                "Message", Json.write(Notifications.inboundSms("+14155550177", "+18005550199", "my secret reply", "in-" + run)))))));
        functions.call("SmsEventsFunction", sms, functions.context("SmsEventsFunction", true));
        RequestCounter.INSTANCE.stopFailing();
        secrets.add("+14155550177");
        secrets.add("my secret reply");
        for (Moto.SentSms m : Moto.sms()) {
            if (m.message().length() > 20) {
                secrets.add(m.message());
            }
        }

        assertTrue(lines.size() > 20, "the traffic logged: " + lines.size() + " lines");
        assertTrue(lines.stream().anyMatch(l -> l.contains("<email>")), "the malformed notification's address was there, redacted");
        for (String line : lines) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a log line holds " + secret + ": " + line);
            }
        }
    }
}
