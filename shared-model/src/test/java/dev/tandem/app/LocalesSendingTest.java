package dev.tandem.app;

import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A launch through the sweep and the senders: each contact gets its locale's text, and its sent event names the locale. */
class LocalesSendingTest {
    final SendingTest on = new SendingTest();

    void contact(String id, String locale) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("email", id + "@example.com", "phone", SendingTest.phone(id),
                "consent", Map.of("email", "subscribed", "sms", "subscribed"), "attributes", Map.of("firstName", id)));
        if (locale != null) {
            body.put("locale", locale);
        }
        Contact c = ContactDraft.from(id, body, "test", SendingTest.T0).applyTo(null, SendingTest.T0);
        on.store.put(c);
    }

    TimelineEvent sent(String id) {
        return on.store.view(id, Instant.EPOCH, 50).orElseThrow().view().timeline().newestFirst().stream()
                .filter(e -> e.type().equals("sms.sent")).findFirst().orElseThrow();
    }

    @Test
    void eachContactGetsTheTextOfItsLocaleAndTheSentEventSaysWhich() {
        MessageTemplate t = MessageTemplate.from("alert", Map.of("channel", "sms", "body", "Sale: {{link}}",
                "locales", Map.of("fr", Map.of("body", "Soldes : {{link}}"), "pt-BR", Map.of("body", "Liquidação: {{link}}"))));
        on.templates.put(t.id(), t);
        on.store.put(t);
        on.campaign("flash", Map.of("playbook", "best-channel", "sms", "alert", "link", "https://shop.example.com/flash"));
        contact("ana", "fr-CA");
        contact("bo", "pt-br");
        contact("cy", "de");
        contact("di", null);
        on.launch("flash", List.of("ana", "bo", "cy", "di"), SendingTest.T0);

        on.sweep.run(SendingTest.T0, () -> true);
        on.dispatch().send(on.take(), SendingTest.T0.plusSeconds(5));

        assertEquals(4, on.sms.size());
        Map<String, String> texts = new java.util.HashMap<>();
        on.sms.forEach(s -> texts.put(s.to(), s.text()));
        assertEquals(true, texts.get(SendingTest.phone("ana")).startsWith("Soldes : "), texts.toString());
        assertEquals(true, texts.get(SendingTest.phone("bo")).startsWith("Liquidação: "), texts.toString());
        assertEquals(true, texts.get(SendingTest.phone("cy")).startsWith("Sale: "), texts.toString());
        assertEquals("fr", sent("ana").data().get("locale"));
        assertEquals("pt-BR", sent("bo").data().get("locale"));
        assertFalse(sent("cy").data().containsKey("locale"), "the template's own text names no locale");
        assertFalse(sent("di").data().containsKey("locale"));
    }
}
