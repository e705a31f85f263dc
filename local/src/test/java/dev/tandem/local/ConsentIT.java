package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.port.ContactStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consent through the API on the emulator: the history a compliance reviewer reads in the export, and SMS double opt-in
 * from the pending request to the one confirmation SMS, the YES that confirms it, and nothing else in between.
 */
class ConsentIT {
    private static String table;
    private static LocalFunctions functions;
    private static LocalClient api;
    private static SnsSqsPath path;
    private static ContactStore contacts;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        table = Emulator.freshTable("consent");
        functions = new LocalFunctions(Emulator.template(), Clock.systemUTC(), Map.of("TABLE_NAME", table,
                "SES_RATE_PER_SECOND", "500", "SMS_RATE_PER_SECOND", "500", "DECISION_ECHO", "100"));
        api = new LocalClient(functions);
        path = new SnsSqsPath(Emulator.template());
        path.purge("SmsEventsQueue");
        contacts = new DynamoContactStore(Emulator.dynamo(), StoreConfig.from(new Env(functions.environment("ApiFunction"))));
        api.ok("PUT", "/templates/optin", Map.of("channel", "sms",
                "body", "Acme: reply YES to get order texts. Msg&data rates may apply. STOP to end."));
        api.ok("PUT", "/templates/news", Map.of("channel", "sms", "body", "{{campaign.topic}} is here"));
    }

    @AfterAll
    static void stop() {
        path.close();
    }

    private String phone(int salt) {
        return "+1312" + String.format("%07d", Math.floorMod((run + salt).hashCode(), 10_000_000));
    }

    private static void decide() {
        String out = functions.decideAndSend("{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));
        assertTrue(!out.contains("\"error\""), out);
    }

    private static void inbound(String from, String text, String id) {
        path.publish("SmsTopic", Json.write(Notifications.inboundSms(from, "+18005550199", text, id)));
        for (SQSEvent batch = path.poll("SmsEventsQueue"); !batch.getRecords().isEmpty(); batch = path.poll("SmsEventsQueue")) {
            SQSBatchResponse r = functions.call("SmsEventsFunction", batch, functions.context("SmsEventsFunction", true));
            assertEquals(List.of(), r.getBatchItemFailures());
            path.acknowledge("SmsEventsQueue", batch, r);
        }
    }

    private static List<String> textsTo(String phone) {
        return Moto.sms().stream().filter(s -> s.phoneNumber().equals(phone)).map(Moto.SentSms::message).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> smsConsent(String id) {
        return (Map<String, Object>) ((Map<String, Object>) api.ok("GET", "/contacts/" + id, null).json().get("consent")).get("sms");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPendingNumberGetsOneConfirmationAndYesSubscribesItWithTheRequestAsEvidence() {
        String id = "doi-" + run;
        String phone = phone(1);
        Map<String, Object> body = Map.of("phone", phone, "timezone", "America/Chicago",
                "consent", Map.of("sms", Map.of("status", "pending", "source", "checkout",
                        "evidence", Map.of("text", "Text me order updates", "version", "sms-terms-3", "ip", "198.51.100.4"))));

        api.ok("PUT", "/policy", Map.of());
        LocalClient.Response refused = api.call("PUT", "/contacts/" + id, body);
        assertEquals(400, refused.status(), refused.body());
        assertEquals("consent.sms", refused.json().get("field"), "no smsOptInTemplate in the policy: nothing could ask");
        assertEquals("policy.smsOptInTemplate", api.call("PUT", "/policy", Map.of("smsOptInTemplate", "nope")).json().get("field"));
        api.ok("PUT", "/policy", Map.of("smsOptInTemplate", "optin"));

        api.ok("PUT", "/contacts/" + id, body);
        assertEquals("pending", smsConsent(id).get("status"));
        assertEquals(Map.of("form", "checkout", "text", "Text me order updates", "version", "sms-terms-3", "ip", "198.51.100.4"),
                smsConsent(id).get("evidence"));

        decide();
        api.ok("PUT", "/contacts/" + id, body);
        decide();
        assertEquals(List.of("Acme: reply YES to get order texts. Msg&data rates may apply. STOP to end."), textsTo(phone),
                "one confirmation, however often the request is saved and the decider runs");

        Map<String, Object> optIns = (Map<String, Object>) api.ok("GET", "/campaigns/tandem-sms-opt-in/stats", null).json().get("sms");
        assertEquals(1, ((Number) optIns.get("sent")).intValue(), "the confirmations are counted as Tandem's own campaign: " + optIns);

        // Nothing else reaches the pending number: a launch to it is skipped.
        api.ok("PUT", "/campaigns/news-" + run, Map.of("topic", "News", "playbook", "best-channel", "sms", "news"));
        api.ok("POST", "/campaigns/news-" + run + "/launch", Map.of("audience", List.of(id)));
        decide();
        assertEquals(1, textsTo(phone).size());
        Map<String, Object> skipped = (Map<String, Object>) api.ok("GET", "/campaigns/news-" + run + "/stats", null).json().get("sms");
        assertEquals(Map.of("pending-consent", 1), skipped.get("skipped"), String.valueOf(skipped));

        inbound(phone, "Yes", "in-yes-" + run);
        Map<String, Object> confirmed = smsConsent(id);
        assertEquals("subscribed", confirmed.get("status"));
        assertEquals("double-opt-in", confirmed.get("source"));
        Map<String, Object> evidence = (Map<String, Object>) confirmed.get("evidence");
        assertEquals("YES", evidence.get("keyword"));
        assertEquals("in-yes-" + run, evidence.get("messageId"));
        assertEquals("Text me order updates", evidence.get("text"));
        assertTrue(evidence.containsKey("confirmationMessageId"), String.valueOf(evidence));

        List<Map<String, Object>> history = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + id + "/export", null)
                .json().get("consentHistory");
        assertEquals(List.of("pending/api", "subscribed/double-opt-in"),
                history.stream().map(h -> h.get("status") + "/" + h.get("source")).toList());
        assertEquals("198.51.100.4", ((Map<String, Object>) history.get(0).get("evidence")).get("ip"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHistoryKeepsEveryChangeAndErasureRemovesIt() {
        String id = "hist-" + run;
        String phone = phone(2);
        api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone,
                "consent", Map.of("email", "subscribed", "sms", "subscribed")));
        api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone,
                "consent", Map.of("email", "unsubscribed")));
        inbound(phone, "STOP", "in-stop-" + run);
        inbound(phone, "STOP", "in-stop-" + run);

        List<Map<String, Object>> history = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + id + "/export", null)
                .json().get("consentHistory");
        assertEquals(List.of("email subscribed api", "sms subscribed api", "email unsubscribed api", "sms unsubscribed keyword"),
                history.stream().map(h -> h.get("channel") + " " + h.get("status") + " " + h.get("source")).toList());
        assertEquals("STOP", ((Map<String, Object>) history.get(3).get("evidence")).get("keyword"));

        api.ok("DELETE", "/contacts/" + id, null);
        assertEquals(List.of(), contacts.consentHistory(id));
    }
}
