package dev.tandem.local;

import dev.tandem.aws.Json;
import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad scenario is refused before anything runs, with exit status 2 and the field named. */
class ScenarioTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> demo() throws Exception {
        return (Map<String, Object>) Json.read(Files.readString(Emulator.root().resolve("events/scenarios/demo.json")), "");
    }

    @SuppressWarnings("unchecked")
    private static String fieldOf(Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> s = demo();
        change.accept(s);
        return assertThrows(InvalidInputException.class, () -> Scenario.from(s)).field();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> campaign(Map<String, Object> s, int i) {
        return (Map<String, Object>) ((List<Object>) s.get("campaigns")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contact(Map<String, Object> s, int i) {
        return (Map<String, Object>) ((List<Object>) s.get("contacts")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(Map<String, Object> s, int i) {
        return (Map<String, Object>) ((List<Object>) s.get("events")).get(i);
    }

    @Test
    void everyScenarioOfTheSuiteReads() throws Exception {
        try (var files = Files.list(Emulator.root().resolve("events/scenarios"))) {
            // X.expected-stats.json beside a scenario is its expected stats, not a scenario.
            List<Path> scenarios = files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".expected-stats.json")).toList();
            assertTrue(scenarios.size() >= 5);
            for (Path p : scenarios) {
                assertEquals(0, Main.validate(List.of(p.toString())), p.toString());
            }
        }
    }

    @Test
    void anUnknownPlaybookNamesItsField() throws Exception {
        assertEquals("campaigns[0].playbook", fieldOf(s -> campaign(s, 0).put("playbook", "carrier-pigeon")));
    }

    @Test
    void anUnknownTemplateNamesItsField() throws Exception {
        assertEquals("campaigns[1].email", fieldOf(s -> campaign(s, 1).put("email", "no-such-template")));
    }

    @Test
    void aTemplateForTheWrongChannelNamesItsField() throws Exception {
        assertEquals("campaigns[0].sms", fieldOf(s -> campaign(s, 0).put("sms", "winter-email")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anSmsTemplateOverItsSegmentLimitNamesTheTemplate() throws Exception {
        Map<String, Object> s = demo();
        ((Map<String, Object>) s.get("templates")).put("winter-sms", Map.of("channel", "sms",
                "body", "{{contact.firstName}}, " + "your picks are waiting in your inbox. ".repeat(8) + "{{link}}"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Scenario.from(s));
        assertEquals("campaigns[0].sms", e.field());
        assertTrue(e.getMessage().contains("template winter-sms"), e.getMessage());
    }

    @Test
    void anUnknownContactNamesItsField() throws Exception {
        assertEquals("events[2].contact", fieldOf(s -> event(s, 2).put("contact", "zed")));
        assertEquals("campaigns[1].audience[0]", fieldOf(s -> campaign(s, 1).put("audience", List.of("zed"))));
    }

    @Test
    void anInvalidTimeOrZoneNamesItsField() throws Exception {
        assertEquals("start", fieldOf(s -> s.put("start", "tomorrow morning")));
        assertEquals("events[0].at", fieldOf(s -> event(s, 0).put("at", "2026-13-01T00:00:00Z")));
        assertEquals("campaigns[2].start", fieldOf(s -> campaign(s, 2).put("start", "2027-01-01T00:00:00Z")));
        assertEquals("contacts[0].timezone", fieldOf(s -> contact(s, 0).put("timezone", "Pacific/Atlantis")));
        assertEquals("tick", fieldOf(s -> s.put("tick", "15 minutes")));
        assertEquals("until", fieldOf(s -> s.put("until", "2026-11-30T00:00:00Z")));
    }

    @Test
    void otherBadFieldsAreNamedToo() throws Exception {
        assertEquals("events[3].type", fieldOf(s -> event(s, 3).put("type", "sms.telepathy")));
        assertEquals("events[3].text", fieldOf(s -> event(s, 3).remove("text")));
        assertEquals("contacts[1].phone", fieldOf(s -> contact(s, 1).put("phone", "555-0102")));
        assertEquals("templates.winter-email.subject", fieldOf(s -> templates(s).put("winter-email", Map.of("channel", "email", "body", "x"))));
        assertEquals("policy.maxPer24h", fieldOf(s -> s.put("policy", Map.of("maxPer24h", "two"))));
        assertEquals("contacts[1].id", fieldOf(s -> contact(s, 1).put("id", "ana")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> templates(Map<String, Object> s) {
        return (Map<String, Object>) s.get("templates");
    }

    @Test
    void theLauncherExitsTwoNamingTheField(@TempDir Path dir) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>(demo());
        List<Object> campaigns = new ArrayList<>((List<Object>) s.get("campaigns"));
        Map<String, Object> first = new LinkedHashMap<>(campaign(s, 0));
        first.put("playbook", "sms-last");
        campaigns.set(0, first);
        s.put("campaigns", campaigns);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Json.write(s));

        assertEquals(2, Main.validate(List.of(bad.toString())));
        Files.writeString(bad, "{\"start\": ");
        assertEquals(2, Main.validate(List.of(bad.toString())));
    }
}
