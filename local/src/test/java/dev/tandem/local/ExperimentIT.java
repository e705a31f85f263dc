package dev.tandem.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An experiment through the HTTP API on the emulator: a bad one is refused naming its field, a good one is read back,
 * and once its contacts were decided the experiment cannot change (409), while the rest of the campaign still can.
 */
class ExperimentIT {
    private static String table;
    private static LocalClient api;

    @BeforeAll
    static void stack() {
        table = Emulator.freshTable("experiment");
        api = new LocalClient(new LocalFunctions(Emulator.template(), Clock.systemUTC(), Simulator.overrides(table)));
        api.ok("PUT", "/templates/x-email", Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>"));
        api.ok("PUT", "/templates/x-sms", Map.of("channel", "sms", "body", "Hi {{link}}"));
        for (int i = 0; i < 12; i++) {
            api.ok("PUT", "/contacts/x" + i, Map.of("email", "x" + i + "@example.com", "timezone", "UTC",
                    "consent", Map.of("email", "subscribed")));
        }
    }

    @AfterAll
    static void drop() {
        new Bootstrap(Emulator.template()).dropTable(table);
    }

    private static Map<String, Object> campaign(Object experiment) {
        return Map.of("playbook", "best-channel", "email", "x-email", "experiment", experiment,
                "goal", Map.of("event", "custom.signup", "within", "P3D"));
    }

    @Test
    void aBadExperimentIsRefusedAndAStartedOneCannotChange() {
        LocalClient.Response bad = api.call("PUT", "/campaigns/x", campaign(Map.of("holdout", 0.1,
                "variants", List.of(Map.of("id", "A"), Map.of("id", "B", "sms", "nope")))));
        assertEquals(400, bad.status(), bad.body());
        assertEquals("experiment.variants[1].sms", bad.json().get("field"), bad.body());

        Map<String, Object> experiment = Map.of("holdout", 0.5, "variants", List.of(Map.of("id", "A"), Map.of("id", "B", "sms", "x-sms")));
        Map<String, Object> stored = api.ok("PUT", "/campaigns/x", campaign(experiment)).json();
        assertEquals(0.5, ((Number) ((Map<?, ?>) stored.get("experiment")).get("holdout")).doubleValue());
        assertEquals(Map.of("event", "custom.signup", "within", "P3D"), stored.get("goal"));

        api.ok("POST", "/campaigns/x/launch", Map.of("launchId", "l1", "audience", List.of("x0", "x1", "x2", "x3", "x4", "x5")));
        new LocalFunctions(Emulator.template(), Clock.systemUTC(), Simulator.overrides(table)).decideAndSend("{}",
                new LocalContext("DeciderFunction", 600, 1024, true));
        Map<String, Object> stats = api.ok("GET", "/campaigns/x/stats", null).json();
        Map<?, ?> reading = (Map<?, ?>) stats.get("experiment");
        long contacts = ((Number) ((Map<?, ?>) reading.get("holdout")).get("contacts")).longValue();
        for (Object v : ((Map<?, ?>) reading.get("variants")).values()) {
            contacts += ((Number) ((Map<?, ?>) v).get("contacts")).longValue();
        }
        assertEquals(6, contacts, "every contact of the launch is counted in one group: " + stats);

        // A goal converts a contact once; the same event posted again (a retried request) counts nothing more.
        Map<String, Object> signup = Map.of("eventId", "s1", "contactId", "x0", "type", "custom.signup",
                "at", java.time.Instant.now().toString());
        api.ok("POST", "/events", signup);
        api.ok("POST", "/events", signup);
        api.ok("POST", "/events", Map.of("eventId", "s2", "contactId", "x0", "type", "custom.signup",
                "at", java.time.Instant.now().toString()));
        Map<?, ?> goal = (Map<?, ?>) api.ok("GET", "/campaigns/x/stats", null).json().get("goal");
        assertEquals(1, ((Number) goal.get("conversions")).intValue(), "x0 converted once: " + goal);

        LocalClient.Response changed = api.call("PUT", "/campaigns/x", campaign(Map.of("holdout", 0.2,
                "variants", List.of(Map.of("id", "A"), Map.of("id", "B", "sms", "x-sms")))));
        assertEquals(409, changed.status(), changed.body());
        assertEquals("experiment", changed.json().get("field"));
        Map<String, Object> sameExperiment = new java.util.HashMap<>(campaign(experiment));
        sameExperiment.put("topic", "renamed");
        assertTrue(api.ok("PUT", "/campaigns/x", sameExperiment).json().get("topic").equals("renamed"),
                "the rest of a started campaign may still change");
    }
}
