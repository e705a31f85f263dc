package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.tandem.local.Notifications.click;
import static dev.tandem.local.Notifications.delivery;
import static dev.tandem.local.Notifications.mail;
import static dev.tandem.local.Notifications.open;
import static dev.tandem.local.Notifications.sesEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decider and ingestion on an emulator that fails the way AWS does (fault mode): DynamoDB answers transaction
 * conflicts, throttles, fails with 500s and answers too late; SES and SNS throttle, or take the message and then
 * answer 500 or cut the connection. The same messages are sent exactly once, every message sent is on its
 * contact's timeline, and every notification lands once.
 */
class FaultModeIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z"); // 09:00 in Los Angeles
    private static String table;
    private final SimClock clock = new SimClock(T0);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void table() {
        table = Emulator.freshTable("fault-mode-it");
    }

    @AfterEach
    void faultsOff() {
        faults(Map.of("rate", 0));
    }

    static Map<String, Object> faults(Map<String, Object> config) {
        return Moto.faults(config);
    }

    private static long injected(Map<String, Object> state, String service) {
        return ((Map<?, ?>) state.get("injected")).entrySet().stream()
                .filter(e -> String.valueOf(e.getKey()).startsWith(service + "."))
                .mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
    }

    private LocalFunctions functions() {
        return new LocalFunctions(Emulator.template(), clock, Map.of("TABLE_NAME", table, "SHARDS", "4",
                "SES_RATE_PER_SECOND", "500", "SMS_RATE_PER_SECOND", "500", "DECISION_ECHO", "1000"));
    }

    private static String phone(String run, int n) {
        return "+1503" + String.format("%07d", Math.floorMod((run + "-" + n).hashCode(), 10_000_000));
    }

    @Test
    void underFaultsEveryMessageIsSentExactlyOnceAndIsOnItsTimeline() throws Exception {
        LocalFunctions functions = functions();
        LocalClient api = new LocalClient(functions);
        api.ok("PUT", "/templates/e-" + run, Map.of("channel", "email", "subject", "{{contact.firstName}}, {{campaign.topic}}",
                "body", "<p>Hi {{contact.firstName}}</p>"));
        api.ok("PUT", "/templates/s-" + run, Map.of("channel", "sms", "body", "{{contact.firstName}}: {{campaign.topic}} {{link}}"));
        api.ok("PUT", "/campaigns/ef-" + run, Map.of("topic", "Winter", "playbook", "email-first", "email", "e-" + run, "sms", "s-" + run));
        api.ok("PUT", "/campaigns/sf-" + run, Map.of("topic", "Flash", "playbook", "sms-first", "email", "e-" + run, "sms", "s-" + run));
        List<String> emailFirst = new ArrayList<>();
        List<String> smsFirst = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = "f" + i + "-" + run;
            api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone(run, i), "timezone", "America/Los_Angeles",
                    "consent", Map.of("email", "subscribed", "sms", "subscribed"), "attributes", Map.of("firstName", "F" + i)));
            (i % 2 == 0 ? emailFirst : smsFirst).add(id);
        }
        api.ok("POST", "/campaigns/ef-" + run + "/launch", Map.of("audience", emailFirst));
        api.ok("POST", "/campaigns/sf-" + run + "/launch", Map.of("audience", smsFirst));

        faults(Map.of("rate", 0.12, "seed", 11, "delay", 2.5));
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            // Two overlapping sweeps at launch, then the ticks that carry each playbook's second step.
            CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> sweep(functions), two);
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> sweep(functions), two);
            a.get();
            b.get();
        } finally {
            two.shutdown();
        }
        for (Duration step : List.of(Duration.ofMinutes(15), Duration.ofMinutes(45), Duration.ofMinutes(15),
                Duration.ofHours(23), Duration.ofMinutes(15), Duration.ofMinutes(15))) {
            clock.advance(step);
            sweep(functions);
        }
        Map<String, Object> state = faults(null);
        faults(Map.of("rate", 0));
        // Past every send's lease and every claim's: a send whose record landed on its own is finished from it, and a
        // job that never began (dead-lettered after failing on the store) is given back and decided again.
        clock.advance(Duration.ofHours(2).plusMinutes(1));
        sweep(functions);
        clock.advance(Duration.ofMinutes(1));
        sweep(functions);

        System.out.println("FaultModeIT decider, faults injected: " + state.get("injected"));
        assertTrue(injected(state, "dynamodb") > 0 && injected(state, "ses") + injected(state, "sns") > 0, state.toString());
        List<Moto.SentEmail> emails = Moto.emails();
        List<Moto.SentSms> sms = Moto.sms();
        List<String> everyone = new ArrayList<>(emailFirst);
        everyone.addAll(smsFirst);
        for (int i = 0; i < 24; i++) {
            String id = "f" + i + "-" + run;
            String number = phone(run, i);
            List<Moto.SentEmail> mine = emails.stream().filter(e -> e.to().contains(id + "@example.com")).toList();
            List<Moto.SentSms> texts = sms.stream().filter(s -> s.phoneNumber().equals(number)).toList();
            assertEquals(1, mine.size(), id + " got " + mine.size() + " emails; faults: " + state);
            assertEquals(1, texts.size(), id + " got " + texts.size() + " SMS; faults: " + state);
            List<Map<String, Object>> timeline = timeline(api, id);
            Map<String, Object> emailSent = one(timeline, "email.sent", id);
            Map<String, Object> smsSent = one(timeline, "sms.sent", id);
            assertTrue(mine.get(0).id().equals(emailSent.get("messageId")) || "unknown".equals(emailSent.get("outcome")),
                    id + ": the email that went is the one on the timeline " + emailSent);
            assertTrue(texts.get(0).messageId().equals(smsSent.get("messageId")) || "unknown".equals(smsSent.get("outcome")),
                    id + ": the SMS that went is the one on the timeline " + smsSent);
        }
    }

    private static Map<String, Object> one(List<Map<String, Object>> timeline, String type, String id) {
        List<Map<String, Object>> found = timeline.stream().filter(e -> type.equals(e.get("type"))).toList();
        assertEquals(1, found.size(), id + " has " + found.size() + " " + type + " events: " + timeline);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> timeline(LocalClient api, String id) {
        return (List<Map<String, Object>>) api.ok("GET", "/contacts/" + id + "/timeline?limit=50", null).json().get("items");
    }

    private static String sweep(LocalFunctions functions) {
        return functions.decideAndSend("{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));
    }

    @Test
    void underFaultsEveryNotificationLandsOnceEvenDeliveredTwice() {
        LocalFunctions functions = functions();
        LocalClient api = new LocalClient(functions);
        try (SnsSqsPath path = new SnsSqsPath(Emulator.template())) {
            path.purge("EmailEventsQueue");
            path.purge("SmsEventsQueue");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = "n" + i + "-" + run;
                api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone(run, 100 + i),
                        "timezone", "America/Los_Angeles", "consent", Map.of("email", "subscribed", "sms", "subscribed")));
                ids.add(id);
            }
            faults(Map.of("rate", 0.12, "seed", 5, "delay", 2.5, "services", List.of("dynamodb")));
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                Map<String, Object> m = mail("0100-" + run + "-" + i, id + "@example.com", T0, "Winter",
                        Map.of("tandem-contact", id, "tandem-campaign", "w-" + run, "tandem-step", "email"));
                for (String n : List.of(Json.write(sesEvent("Delivery", m, "delivery", delivery(id + "@example.com", T0.plusSeconds(3)))),
                        Json.write(sesEvent("Open", m, "open", open(T0.plusSeconds(600), "Mozilla/5.0 (iPhone)", "203.0.113.7"))),
                        Json.write(sesEvent("Click", m, "click", click(T0.plusSeconds(700), "https://shop.example.com/b", "Mozilla/5.0 (iPhone)", "203.0.113.7"))))) {
                    path.publish("SesEventsTopic", n);
                    path.publish("SesEventsTopic", n); // SNS delivers at least once
                }
                String reply = Json.write(Notifications.inboundSms(phone(run, 100 + i), "+18005550199", "Do you have size " + i + "?", "in-" + run + "-" + i));
                path.publish("SmsTopic", reply);
                path.publish("SmsTopic", reply);
            }
            drainWithRedelivery(path, functions, "EmailEventsQueue", "EmailEventsFunction");
            drainWithRedelivery(path, functions, "SmsEventsQueue", "SmsEventsFunction");
            Map<String, Object> state = faults(null);
            faults(Map.of("rate", 0));

            System.out.println("FaultModeIT ingestion, faults injected: " + state.get("injected"));
            assertTrue(injected(state, "dynamodb") > 0, state.toString());
            for (String id : ids) {
                List<Map<String, Object>> timeline = timeline(api, id);
                for (String type : List.of("email.delivered", "email.open", "email.click", "sms.reply")) {
                    assertNotNull(one(timeline, type, id));
                }
            }
        }
    }

    /** Drains a queue into its function as Lambda would, a failed record coming back until it lands. */
    private static void drainWithRedelivery(SnsSqsPath path, LocalFunctions functions, String queue, String function) {
        for (int round = 0; round < 50; round++) {
            SQSEvent batch = path.poll(queue);
            if (batch.getRecords().isEmpty()) {
                return;
            }
            SQSBatchResponse r = functions.call(function, batch, functions.context(function, true));
            path.acknowledge(queue, batch, r);
            if (!r.getBatchItemFailures().isEmpty()) {
                path.makeVisible(queue, batch);
            }
        }
        throw new AssertionError(queue + " did not drain");
    }
}
