package dev.tandem.render;

import dev.tandem.campaign.MessageTemplate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsBudgetTest {

    @Test
    void anSmsThatFitsGoesOutAsWritten() {
        Renderer.Compiled t = Renderer.compile(MessageTemplate.from("s", Map.of("channel", "sms", "body", "Hi {{contact.firstName}}!")));
        assertEquals("Hi Zoë!", SmsBudget.render(t, Map.of("contact", Map.of("firstName", "Zoë")), 2));
    }

    @Test
    void anSmsThatWouldRunOverHasItsValuesCutToTheirBudgetsInGsm() {
        String body = "x".repeat(120) + " {{contact.firstName}} {{link}}";
        Renderer.Compiled t = Renderer.compile(MessageTemplate.from("s", Map.of("channel", "sms", "body", body)));
        Map<String, Object> ctx = Map.of("contact", Map.of("firstName", "Zoë ❄ " + "y".repeat(200)), "link", "https://t.example.com/l/abc");

        String text = SmsBudget.render(t, ctx, 1);

        assertTrue(SmsSegments.isGsm(text), text);
        assertTrue(text.contains(" Zoe ? " + "y".repeat(11) + "... "), text);
        assertEquals(2, SmsSegments.count(text), "cut to the budget the definition was checked with");
    }
}
