package dev.tandem.campaign;

import dev.tandem.decide.LinkMaker;
import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CampaignDefinitionTest {
    private static final Map<String, MessageTemplate> TEMPLATES = new HashMap<>();

    static {
        TEMPLATES.put("e", MessageTemplate.from("e", Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>")));
        TEMPLATES.put("s", MessageTemplate.from("s", Map.of("channel", "sms", "body", "{{contact.firstName}}: {{campaign.topic}} {{link}}")));
        TEMPLATES.put("long", MessageTemplate.from("long", Map.of("channel", "sms",
                "body", "x".repeat(250) + " {{contact.firstName}} {{link}}")));
    }

    private static Campaign read(Map<String, Object> def) {
        return Campaign.from("c", def, TEMPLATES::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor("https://t.example.com"));
    }

    private static String fieldOf(Map<String, Object> def) {
        return assertThrows(InvalidInputException.class, () -> read(def)).field();
    }

    @Test
    void readsAnEmailFirstCampaignWithItsDefaults() {
        Campaign c = read(Map.of("topic", "Winter", "playbook", "email-first", "email", "e", "sms", "s"));
        assertEquals(Duration.ofHours(24), c.followUpAfter());
        assertEquals(List.of("conversion"), c.exitOn());
    }

    @Test
    void namesTheFieldOfABadDefinition() {
        assertEquals("playbook", fieldOf(Map.of("playbook", "carrier-pigeon", "email", "e")));
        assertEquals("email", fieldOf(Map.of("playbook", "email-first", "email", "nope", "sms", "s")));
        assertEquals("sms", fieldOf(Map.of("playbook", "email-first", "email", "e", "sms", "e")));
        assertEquals("followUpAfter", fieldOf(Map.of("playbook", "email-first", "email", "e", "sms", "s", "followUpAfter", "tomorrow")));
        assertEquals("exitOn[0]", fieldOf(Map.of("playbook", "email-first", "email", "e", "sms", "s", "exitOn", List.of("purchase"))));
        assertEquals("triggers.clickNoConversion.sms", fieldOf(Map.of("playbook", "email-first", "email", "e", "sms", "s",
                "triggers", Map.of("clickNoConversion", Map.of("sms", "e")))));
        assertEquals("link", fieldOf(Map.of("playbook", "sms-first", "email", "e", "sms", "s", "link", "ftp://x")));
        assertEquals("urgent", fieldOf(Map.of("playbook", "email-first", "email", "e", "sms", "s", "urgent", true)));
        assertEquals("colour", fieldOf(Map.of("playbook", "email-first", "email", "e", "sms", "s", "colour", "red")));
    }

    @Test
    void refusesACampaignWhoseSmsCanExceedTheSegmentLimitNamingTheTemplate() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> read(Map.of("playbook", "sms-first", "email", "e", "sms", "long")));
        assertEquals("sms", e.field());
        assertTrue(e.getMessage().contains("template long"), e.getMessage());
        assertTrue(e.getMessage().contains("maxSmsSegments 2"), e.getMessage());
    }

    @Test
    void theSameSmsFitsAPolicyThatAllowsMoreSegments() {
        ContactPolicy three = ContactPolicy.from(Map.of("maxSmsSegments", 3));
        Campaign c = Campaign.from("c", Map.of("playbook", "sms-first", "email", "e", "sms", "long"), TEMPLATES::get, three, 40);
        assertEquals("long", c.smsTemplate());
    }

    @Test
    void readsThePolicyWithDefaultsAndNamesBadFields() {
        ContactPolicy p = ContactPolicy.from(Map.of("maxPer24h", 3, "smsQuietHours", Map.of("from", "22:00", "to", "07:30")));
        assertEquals(3, p.maxPer24h());
        assertEquals(5, p.maxPer7d());
        assertEquals(java.time.LocalTime.of(7, 30), p.smsQuietHours().to());
        assertEquals("policy.minGap", assertThrows(InvalidInputException.class, () -> ContactPolicy.from(Map.of("minGap", "4h"))).field());
        assertEquals("policy.smsQuietHours.from", assertThrows(InvalidInputException.class,
                () -> ContactPolicy.from(Map.of("smsQuietHours", Map.of("from", "9pm", "to", "08:00")))).field());
        assertEquals("policy.maxPer7d", assertThrows(InvalidInputException.class,
                () -> ContactPolicy.from(Map.of("maxPer24h", 4, "maxPer7d", 3))).field());
    }

    @Test
    void aPolicyWithoutSmsQuietHoursReadsBackWithoutThem() {
        java.util.Map<String, Object> body = new java.util.HashMap<>();
        body.put("smsQuietHours", null);
        ContactPolicy p = ContactPolicy.from(body);
        assertEquals(null, p.smsQuietHours());
        assertEquals(null, ContactPolicy.from(p.toMap()).smsQuietHours(), "stored and read again, still none");
    }
}
