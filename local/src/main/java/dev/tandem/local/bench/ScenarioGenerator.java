package dev.tandem.local.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A large scenario for the benchmarks: N contacts across six zones, an email-first campaign to all with a
 * click trigger, an sms-first flash sale to half, and what contacts do (human and machine opens, clicks,
 * replies, STOP, conversions), drawn from a seeded random source so every run is the same.
 */
public final class ScenarioGenerator {
    private static final String[] ZONES = {"America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin",
            "Asia/Tokyo", "Australia/Sydney"};

    private ScenarioGenerator() {
    }

    public static Map<String, Object> scenario(int contacts, int days) {
        Random random = new Random(42);
        Instant start = Instant.parse("2026-12-01T17:00:00Z");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("start", start.toString());
        s.put("until", start.plus(Duration.ofDays(days)).toString());
        s.put("tick", "PT15M");
        Map<String, Object> templates = new LinkedHashMap<>();
        templates.put("w-email", Map.of("channel", "email", "subject", "{{contact.firstName}}, your winter picks", "body", "<p>Hi {{contact.firstName}}</p>"));
        templates.put("w-sms", Map.of("channel", "sms", "body", "{{contact.firstName}}, your {{campaign.topic}} picks are in your inbox: {{link}}"));
        templates.put("nudge", Map.of("channel", "sms", "body", "{{contact.firstName}}, still thinking it over? {{link}}"));
        templates.put("f-sms", Map.of("channel", "sms", "body", "Flash sale until midnight: {{link}}"));
        templates.put("f-email", Map.of("channel", "email", "subject", "The flash sale", "body", "<p>Details</p>"));
        templates.put("answer", Map.of("channel", "email", "subject", "Re: your message", "body", "<p>You wrote {{reply.text}}</p>"));
        s.put("templates", templates);
        List<Object> people = new ArrayList<>();
        List<String> half = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            String id = "p" + i;
            people.add(Map.of("id", id, "email", id + "@example.com", "phone", String.format("+1415%07d", i),
                    "timezone", ZONES[i % ZONES.length], "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                    "attributes", Map.of("firstName", "P" + i)));
            if (i % 2 == 0) {
                half.add(id);
            }
        }
        s.put("contacts", people);
        s.put("campaigns", List.of(
                Map.of("id", "winter", "topic", "winter", "playbook", "email-first", "email", "w-email", "sms", "w-sms",
                        "link", "https://shop.example.com/winter",
                        "triggers", Map.of("clickNoConversion", Map.of("sms", "nudge", "after", "P1D"))),
                Map.of("id", "flash", "topic", "flash", "playbook", "sms-first", "sms", "f-sms", "email", "f-email",
                        "link", "https://shop.example.com/flash", "start", start.plus(Duration.ofHours(5)).toString(),
                        "triggers", Map.of("smsReply", Map.of("email", "answer")), "audience", half)));
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            String id = "p" + i;
            double r = random.nextDouble();
            Instant at = start.plus(Duration.ofMinutes(20 + random.nextInt(600)));
            if (r < 0.30) {
                events.add(Map.of("at", at.toString(), "contact", id, "type", "email.open", "userAgent", "Mozilla/5.0 (iPhone)", "ip", "203.0.113.7"));
            } else if (r < 0.40) {
                events.add(Map.of("at", at.toString(), "contact", id, "type", "email.open", "userAgent", "Mozilla/5.0", "ip", "17.58.1.2"));
            } else if (r < 0.45) {
                events.add(Map.of("at", at.toString(), "contact", id, "type", "email.click", "link", "https://shop.example.com/p/" + i));
            }
            if (i % 2 == 0) {
                Instant later = start.plus(Duration.ofHours(5)).plus(Duration.ofMinutes(20 + random.nextInt(300)));
                double q = random.nextDouble();
                if (q < 0.03) {
                    events.add(Map.of("at", later.toString(), "contact", id, "type", "sms.reply", "text", "Is it in stock?"));
                } else if (q < 0.04) {
                    events.add(Map.of("at", later.toString(), "contact", id, "type", "sms.reply", "text", "STOP"));
                } else if (q < 0.09) {
                    events.add(Map.of("at", later.toString(), "contact", id, "type", "conversion", "value", 40));
                }
            }
        }
        s.put("events", events);
        return s;
    }
}
