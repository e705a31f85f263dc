package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;
import dev.tandem.contact.Reachability;
import dev.tandem.port.ContactStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tandem.local.Notifications.bounce;
import static dev.tandem.local.Notifications.click;
import static dev.tandem.local.Notifications.delivery;
import static dev.tandem.local.Notifications.mail;
import static dev.tandem.local.Notifications.open;
import static dev.tandem.local.Notifications.sesEvent;
import static dev.tandem.local.Notifications.sesNotification;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both channels onto one timeline through the path AWS wires: SNS topic, subscribed SQS queue, the real
 * handler on the batch, on the emulator, with resources read from template.yaml.
 */
class EngagementIT {
    private static final Instant SENT = Instant.parse("2026-12-01T17:00:00Z");
    private static LocalFunctions functions;
    private static SnsSqsPath path;
    private static ContactStore contacts;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        functions = Emulator.functions(Clock.systemUTC());
        path = new SnsSqsPath(Emulator.template());
        contacts = new DynamoContactStore(Emulator.dynamo(), StoreConfig.from(new Env(functions.environment("ApiFunction"))));
        path.purge("EmailEventsQueue");
        path.purge("SmsEventsQueue");
    }

    @AfterAll
    static void stop() {
        path.close();
    }

    private String phone(int salt) {
        return "+1206" + String.format("%07d", Math.floorMod((run + salt).hashCode(), 10_000_000));
    }

    private Contact contact(String id, String email, String phone) {
        String body = "{\"email\":\"" + email + "\",\"phone\":\"" + phone + "\",\"timezone\":\"America/Los_Angeles\","
                + "\"consent\":{\"email\":\"subscribed\",\"sms\":\"subscribed\"}}";
        // Made well before anything it does: consent follows the time of each act, and SNS stamps inbound SMS with today.
        new dev.tandem.app.ContactService(contacts).put(id, Json.read(body, ""), SENT.minus(java.time.Duration.ofDays(365)));
        return contacts.find(id).orElseThrow();
    }

    /** Drains a queue into its function as Lambda's event source mapping would; returns the failures. */
    private List<String> drain(String queue, String function) {
        List<String> failures = new ArrayList<>();
        for (SQSEvent batch = path.poll(queue); !batch.getRecords().isEmpty(); batch = path.poll(queue)) {
            SQSBatchResponse r = functions.call(function, batch, functions.context(function, true));
            r.getBatchItemFailures().forEach(f -> failures.add(f.getItemIdentifier()));
            path.acknowledge(queue, batch, r);
            if (!r.getBatchItemFailures().isEmpty()) {
                break;
            }
        }
        return failures;
    }

    @Test
    void aBatchBuiltTheWayAwsBuildsItLandsOnOneTimeline() {
        Contact ana = contact("ana-" + run, "ana-" + run + "@example.com", phone(1));
        Contact bob = contact("bob-" + run, "bob-" + run + "@example.com", phone(2));
        String messageId = "0100019a-" + run + "-000000";
        Map<String, Object> mailAna = mail(messageId, ana.email(), SENT, "Winter picks",
                Map.of("tandem-contact", ana.id(), "tandem-campaign", "winter-" + run, "tandem-step", "email"));
        String humanOpen = Json.write(sesEvent("Open", mailAna, "open", open(SENT.plusSeconds(7200), "Mozilla/5.0 (iPhone)", "203.0.113.7")));

        path.publish("SesEventsTopic", Json.write(sesEvent("Delivery", mailAna, "delivery", delivery(ana.email(), SENT.plusSeconds(3)))));
        path.publish("SesEventsTopic", humanOpen);
        path.publish("SesEventsTopic", Json.write(sesEvent("Open", mailAna, "open", open(SENT.plusSeconds(60), "Mozilla/5.0", "17.58.101.20"))));
        path.publish("SesEventsTopic", Json.write(sesEvent("Click", mailAna, "click",
                click(SENT.plusSeconds(7300), "https://shop.example.com/p/boots", "Mozilla/5.0 (iPhone)", "203.0.113.7"))));
        path.publish("SesEventsTopic", humanOpen);
        path.publish("SesEventsTopic", "{\"eventType\":\"Open\",\"mail\":");
        Map<String, Object> mailBob = mail("0100019b-" + run + "-000000", bob.email(), SENT, "Winter picks", null);
        path.publish("SesEventsTopic", Json.write(sesNotification("Bounce", mailBob, "bounce", bounce(bob.email(), SENT.plusSeconds(5), "Permanent"))));
        String stranger = "nobody-" + run + "@example.com";
        Map<String, Object> mailStranger = mail("0100019c-" + run + "-000000", stranger, SENT, "Hello", null);
        path.publish("SesEventsTopic", Json.write(sesNotification("Delivery", mailStranger, "delivery", delivery(stranger, SENT.plusSeconds(4)))));

        List<String> failures = drain("EmailEventsQueue", "EmailEventsFunction");
        failures.addAll(drain("EmailEventsQueue", "EmailEventsFunction"));

        assertEquals(1, failures.size(), "the poison record fails alone");
        List<String> anaTypes = contacts.timeline(ana.id(), 50, null).items().stream().map(TimelineEvent::type).toList();
        assertEquals(List.of("email.click", "email.open", "email.open", "email.delivered"), anaTypes);
        List<TimelineEvent> opens = contacts.timeline(ana.id(), 50, null).items().stream()
                .filter(e -> e.type().equals("email.open")).toList();
        assertEquals(List.of(false, true), opens.stream().map(TimelineEvent::machine).toList());
        assertTrue(contacts.timeline(ana.id(), 50, null).items().stream().allMatch(e -> ("winter-" + run).equals(e.campaign())));
        assertEquals(Reachability.REACHABLE, contacts.find(ana.id()).orElseThrow().stateOf(Channel.EMAIL).status());
        assertEquals(Reachability.SUPPRESSED, contacts.find(bob.id()).orElseThrow().stateOf(Channel.EMAIL).status());
        assertEquals(List.of("email.bounce"), contacts.timeline(bob.id(), 10, null).items().stream().map(TimelineEvent::type).toList());
        List<Map<String, AttributeValue>> unmatched = Emulator.itemsMentioning(stranger);
        assertEquals(1, unmatched.stream().filter(i -> "unmatched".equals(i.get("type").s())).count());
        Map<String, AttributeValue> kept = unmatched.get(0);
        assertEquals(stranger, kept.get("email").s(), "what matching needs");
        assertTrue(!kept.containsKey("payload") && !kept.get("reason").s().contains(stranger), "and nothing else: " + kept);
        long thirtyDays = SENT.plus(java.time.Duration.ofDays(30)).getEpochSecond();
        assertTrue(Math.abs(Long.parseLong(kept.get("expiresAt").n()) - thirtyDays) < 60, "kept for 30 days");
    }

    @Test
    void aPoisonRecordLandsInTheDeadLetterQueueAfterMaxReceiveCount() {
        path.purge("EmailEventsDeadLetterQueue");
        path.publish("SesEventsTopic", "{\"notificationType\":\"Bounce\",\"mail\":{}}");
        int maxReceive = Integer.parseInt(Emulator.template().parameter("MaxReceiveCount"));

        for (int attempt = 0; attempt < maxReceive + 1; attempt++) {
            SQSEvent batch = path.poll("EmailEventsQueue");
            if (batch.getRecords().isEmpty()) {
                break;
            }
            SQSBatchResponse r = functions.call("EmailEventsFunction", batch, functions.context("EmailEventsFunction", true));
            assertEquals(1, r.getBatchItemFailures().size());
            path.acknowledge("EmailEventsQueue", batch, r);
            path.makeVisible("EmailEventsQueue", batch);
        }

        assertEquals(1, path.visible("EmailEventsDeadLetterQueue"));
        assertEquals(0, path.visible("EmailEventsQueue"));
    }

    @Test
    void aQuestionAndAStopOverSmsWithOneConfirmation() {
        Contact ana = contact("sms-" + run, "sms-" + run + "@example.com", phone(3));
        int smsBefore = Moto.sms().size();

        path.publish("SmsTopic", Json.write(Notifications.inboundSms(ana.phone(), "+18005550199", "Do you ship to Canada?", "in-q-" + run)));
        String stop = Json.write(Notifications.inboundSms(ana.phone(), "+18005550199", " STOP ", "in-s-" + run));
        path.publish("SmsTopic", stop);
        path.publish("SmsTopic", stop);

        assertEquals(List.of(), drain("SmsEventsQueue", "SmsEventsFunction"));

        List<TimelineEvent> events = contacts.timeline(ana.id(), 10, null).items();
        assertEquals(List.of("sms.opt_out", "sms.reply", "sms.sent"),
                events.stream().map(TimelineEvent::type).sorted().toList());
        assertEquals("Do you ship to Canada?", events.stream().filter(e -> e.type().equals("sms.reply")).findFirst().orElseThrow().data().get("text"));
        Contact after = contacts.find(ana.id()).orElseThrow();
        assertEquals(Reachability.OPTED_OUT, after.stateOf(Channel.SMS).status());
        assertEquals(ConsentStatus.UNSUBSCRIBED, after.consent().get(Channel.SMS).status());
        List<Moto.SentSms> confirmations = Moto.sms().subList(smsBefore, Moto.sms().size()).stream()
                .filter(s -> s.phoneNumber().equals(ana.phone())).toList();
        assertEquals(1, confirmations.size(), "one confirmation, then none");
        assertEquals(Emulator.template().parameter("SmsStopText"), confirmations.get(0).message());
    }

    @Test
    void theSampleEventsInvokeAsTheyAre() throws Exception {
        for (String sample : List.of("ses-delivery", "ses-open-human", "ses-notification-bounce", "ses-send")) {
            String response = functions.invoke("EmailEventsFunction",
                    java.nio.file.Files.readString(Emulator.root().resolve("events/" + sample + ".json")),
                    functions.context("EmailEventsFunction", true));
            assertEquals(Map.of("batchItemFailures", List.of()), Json.read(response, ""), sample);
        }
        for (String sample : List.of("sms-inbound-reply", "sms-status-delivered", "sms-delivery-log")) {
            String response = functions.invoke("SmsEventsFunction",
                    java.nio.file.Files.readString(Emulator.root().resolve("events/" + sample + ".json")),
                    functions.context("SmsEventsFunction", true));
            assertEquals(Map.of("batchItemFailures", List.of()), Json.read(response, ""), sample);
        }
    }

    /** A CloudWatch Logs subscription event as Lambda receives it: the batch gzipped and base64-encoded. */
    private static String logsEvent(String logGroup, List<String> lines) throws java.io.IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            events.add(Map.of("id", "3" + i, "timestamp", SENT.toEpochMilli(), "message", lines.get(i)));
        }
        String batch = Json.write(Map.of("messageType", "DATA_MESSAGE", "owner", "123456789012", "logGroup", logGroup,
                "logStream", "stream", "subscriptionFilters", List.of("SmsDeliveryLogSubscription"), "logEvents", events));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(batch.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Json.write(Map.of("awslogs", Map.of("data", java.util.Base64.getEncoder().encodeToString(out.toByteArray()))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theForwarderCarriesSnsDeliveryLogLinesThroughSmsTopicToTheTimeline() throws Exception {
        Contact cy = contact("log-" + run, "log-" + run + "@example.com", phone(9));
        String smsId = "log-" + run + "-0000";
        new dev.tandem.aws.store.DynamoEngagementStore(Emulator.dynamo(), StoreConfig.from(new Env(functions.environment("SmsEventsFunction"))))
                .record(new dev.tandem.ingest.Engagement(new TimelineEvent("sent-" + smsId, cy.id(), "sms.sent", SENT, "flash-" + run, "sms",
                        smsId, Map.of("text", "Flash sale")), null, List.of(),
                        new dev.tandem.ingest.SentMessage(smsId, cy.id(), Channel.SMS, "flash-" + run, "sms"), false, true));
        // AWS's published delivery-log example, with the id of the message Tandem sent.
        Map<String, Object> line = (Map<String, Object>) Json.read(java.nio.file.Files.readString(Emulator.root()
                .resolve("functions/sms-events/src/test/resources/aws/sns-delivery-log-success.json")), "");
        ((Map<String, Object>) line.get("notification")).put("messageId", smsId);

        String out = functions.invoke("SmsDeliveryLogForwarderFunction",
                logsEvent("sns/us-east-1/123456789012/DirectPublishToPhoneNumber", List.of(Json.write(line))),
                functions.context("SmsDeliveryLogForwarderFunction", true));

        assertEquals(1, ((Number) ((Map<String, Object>) Json.read(out, "")).get("published")).intValue(), out);
        assertEquals(List.of(), drain("SmsEventsQueue", "SmsEventsFunction"));
        assertEquals(List.of("sms.delivered", "sms.sent"), contacts.timeline(cy.id(), 10, null).items().stream()
                .map(TimelineEvent::type).sorted().toList());
    }

    @Test
    void erasingAContactErasesTheUnmatchedNotificationsThatNameIt() {
        String address = "late-" + run + "@example.com";
        Map<String, Object> early = mail("0100019e-" + run + "-000000", address, SENT, "Hello", null);
        path.publish("SesEventsTopic", Json.write(sesNotification("Delivery", early, "delivery", delivery(address, SENT.plusSeconds(4)))));
        String number = phone(11);
        path.publish("SmsTopic", Json.write(Notifications.inboundSms(number, "+18005550199", "hello?", "in-late-" + run)));
        drain("EmailEventsQueue", "EmailEventsFunction");
        drain("SmsEventsQueue", "SmsEventsFunction");
        assertEquals(1, Emulator.itemsMentioning(address).size(), "kept, naming the address");
        assertEquals(1, Emulator.itemsMentioning(number).stream().filter(i -> "unmatched".equals(i.get("type").s())).count(),
                "kept, naming the number");

        Contact late = contact("late-" + run, address, number);
        assertTrue(contacts.erase(late.id()));

        assertTrue(Emulator.itemsMentioning(address).isEmpty(), "nothing names the address any more");
        assertTrue(Emulator.itemsMentioning(number).isEmpty(), "nothing names the number any more");
    }
}
