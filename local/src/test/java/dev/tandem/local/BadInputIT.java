package dev.tandem.local;

import dev.tandem.aws.Env;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a 4xx naming what is wrong, never a 5xx: each case here once answered 500 on the emulator run as
 * AWS runs (strict). The handler gets API Gateway's own event, so the path reaches it as the caller wrote it.
 */
class BadInputIT {
    private static LocalClient api;
    private static LocalFunctions functions;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        functions = Emulator.functions(Clock.systemUTC());
        api = new LocalClient(functions);
    }

    private String contact() {
        String id = "bad-" + run;
        api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "timezone", "Europe/Paris",
                "consent", Map.of("email", "subscribed")));
        return id;
    }

    private static void refused(int status, String field, LocalClient.Response r) {
        assertEquals(status, r.status(), r.body());
        assertEquals(field, r.json().get("field"), r.body());
        assertTrue(String.valueOf(r.json().get("error")).length() > 5, r.body());
    }

    private Map<String, Object> event(String id, String eventId, Object at) {
        return Map.of("eventId", eventId, "contactId", id, "type", "conversion", "at", at, "value", 12);
    }

    @Test
    void eventTimesOutsideWhatCanHaveHappenedAreRefused() {
        String id = contact();
        refused(400, "at", api.call("POST", "/events", event(id, "e1-" + run, "+1000000000-12-31T23:59:59Z")));
        refused(400, "at", api.call("POST", "/events", event(id, "e2-" + run, Instant.now().plusSeconds(86_400).toString())));
        refused(400, "at", api.call("POST", "/events", event(id, "e3-" + run, "9999-12-31T00:00:00Z")));
        refused(400, "at", api.call("POST", "/events", event(id, "e4-" + run, "1969-12-31T23:59:59Z")));
        refused(400, "events[1].at", api.call("POST", "/events", Map.of("events", List.of(event(id, "e5-" + run, Instant.now().toString()),
                event(id, "e6-" + run, "+1000000000-12-31T23:59:59Z")))));
        assertTrue(((List<?>) api.ok("GET", "/contacts/" + id + "/timeline", null).json().get("items")).isEmpty(), "nothing written");
    }

    @Test
    void aBodyIsMeasuredInBytesOfUtf8() {
        String id = contact();
        String cjk = "漢".repeat(250_000); // 250,000 characters, 750,000 bytes
        LocalClient.Response r = api.call("POST", "/events", Map.of("eventId", "big-" + run, "contactId", id,
                "type", "custom.note", "value", cjk));
        assertEquals(413, r.status(), r.body());
        assertTrue(String.valueOf(r.json().get("error")).contains("bytes"), r.body());
    }

    @Test
    void aPathWithAMalformedEscapeIsRefused() {
        refused(400, "id", api.call("GET", "/contacts/%ZZ", null));
        refused(400, "id", api.call("GET", "/contacts/a%2/timeline", null));
        refused(400, "code", api.call("GET", "/l/%G0abcdefghijklmnopqrst", null));
    }

    @Test
    void aTamperedCursorIsRefused() {
        String id = contact();
        for (String sk : List.of("EVT#~", "EVT#" + "9".repeat(2000), "PROFILE", "EVT#2026-12-01T00:00:00.000Z#x\u0000")) {
            String next = Base64.getUrlEncoder().withoutPadding().encodeToString(sk.getBytes(StandardCharsets.UTF_8));
            refused(400, "next", api.call("GET", "/contacts/" + id + "/timeline?next=" + next, null));
        }
        refused(400, "next", api.call("GET", "/contacts/" + id + "/timeline?next=%%%", null));
    }

    @Test
    void anEventIdReusedForAnotherEventIsAConflictNotASilentDuplicate() {
        String id = contact();
        Map<String, Object> first = Map.of("eventId", "order-" + run, "contactId", id, "type", "conversion", "value", 12);
        assertEquals(200, api.ok("POST", "/events", first).status());
        LocalClient.Response again = api.ok("POST", "/events", first);
        assertEquals(1, ((Number) again.json().get("duplicates")).intValue(), "the same event twice is a duplicate");

        LocalClient.Response other = api.call("POST", "/events", Map.of("eventId", "order-" + run, "contactId", id,
                "type", "conversion", "value", 99));
        refused(409, "eventId", other);
        LocalClient.Response batch = api.call("POST", "/events", List.of(
                Map.of("eventId", "fresh-" + run, "contactId", id, "type", "custom.x"),
                Map.of("eventId", "order-" + run, "contactId", id, "type", "custom.y")));
        assertEquals(409, batch.status(), batch.body());
        assertEquals(1, ((List<?>) api.ok("GET", "/contacts/" + id + "/timeline", null).json().get("items")).size(),
                "nothing of a refused batch is written");
    }

    @Test
    void aLaunchTooFarAheadAndPolicyNumbersPastAnIntAreRefused() {
        api.ok("PUT", "/templates/t-" + run, Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>"));
        api.ok("PUT", "/campaigns/c-" + run, Map.of("playbook", "best-channel", "email", "t-" + run));
        refused(400, "at", api.call("POST", "/campaigns/c-" + run + "/launch", Map.of("at", "+10000-01-01T00:00:00Z")));
        refused(400, "at", api.call("POST", "/campaigns/c-" + run + "/launch", Map.of("at", Instant.now().plusSeconds(400L * 86_400).toString())));
        refused(400, "policy.maxPer24h", api.call("PUT", "/policy", Map.of("maxPer24h", 4_294_967_298L)));
        refused(400, "policy.maxPer7d", api.call("PUT", "/policy", Map.of("maxPer7d", 1e12)));
        assertEquals(2, ((Number) api.ok("GET", "/policy", null).json().get("maxPer24h")).intValue(), "nothing stored");
    }

    @Test
    void aPreviewOfATemplateThatCannotRenderIsRefusedNamingIt() {
        dev.tandem.aws.store.DynamoCampaignStore store = new dev.tandem.aws.store.DynamoCampaignStore(Emulator.dynamo(), StoreConfig.from(new Env(functions.environment("ApiFunction"))));
        // Stored before partials were refused: the API would not take it today.
        store.putTemplate(new MessageTemplate("partial-" + run, Channel.EMAIL, "Hi", "<p>{{> footer}}</p>"));
        store.putCampaign(dev.tandem.campaign.Campaign.restore("p-" + run, Map.of("playbook", "best-channel", "email", "partial-" + run)));
        String id = contact();

        LocalClient.Response r = api.call("POST", "/campaigns/p-" + run + "/preview", Map.of("audience", List.of(id)));

        assertEquals(400, r.status(), r.body());
        assertTrue(String.valueOf(r.json().get("error")).contains("footer"), r.body());
    }

    @Test
    void aDurationPastAYearIsRefusedBeforeItCanOverflowADecision() {
        refused(400, "policy.minGap", api.call("PUT", "/policy", Map.of("minGap", "PT2562047788015215H")));
        api.ok("PUT", "/templates/e-" + run, Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>"));
        api.ok("PUT", "/templates/s-" + run, Map.of("channel", "sms", "body", "Hi {{link}}"));
        refused(400, "detailAfter", api.call("PUT", "/campaigns/d-" + run, Map.of("playbook", "sms-first", "email", "e-" + run,
                "sms", "s-" + run, "detailAfter", "PT2562047788015215H")));
        refused(400, "triggers.clickNoConversion.after", api.call("PUT", "/campaigns/d-" + run, Map.of("playbook", "best-channel",
                "email", "e-" + run, "triggers", Map.of("clickNoConversion", Map.of("sms", "s-" + run, "after", "P400D")))));
    }
}
