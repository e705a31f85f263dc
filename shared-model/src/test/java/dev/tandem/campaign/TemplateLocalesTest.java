package dev.tandem.campaign;

import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.LinkMaker;
import dev.tandem.render.Renderer;
import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A template's locales: how they are read, which one a contact's tag picks, and the SMS segments of each. */
class TemplateLocalesTest {
    static final Map<String, Object> EMAIL = Map.of("channel", "email", "subject", "Hello {{contact.firstName}}", "body", "<p>Hi</p>",
            "locales", Map.of("fr", Map.of("subject", "Bonjour {{contact.firstName}}", "body", "<p>Salut</p>"),
                    "pt-br", Map.of("subject", "Olá {{contact.firstName}}", "body", "<p>Oi</p>")));

    static InvalidInputException refused(Map<String, Object> body) {
        return assertThrows(InvalidInputException.class, () -> MessageTemplate.from("t", body));
    }

    @Test
    void theExactTagWinsWhateverItsCaseThenItsLanguageThenTheTemplatesOwnText() {
        MessageTemplate t = MessageTemplate.from("t", EMAIL);
        Renderer.Compiled compiled = Renderer.compile(t);
        Map<String, Object> ctx = Map.of("contact", Map.of("firstName", "Ana"));

        assertEquals("pt-BR", t.localeFor("PT-br"), "keys are kept in their canonical case and matched in any");
        assertEquals("fr", t.localeFor("fr-CA"));
        assertNull(t.localeFor("de-DE"));
        assertNull(t.localeFor(null));
        assertEquals("Bonjour Ana", compiled.in("fr-CA").render(ctx).subject());
        assertEquals("Olá Ana", compiled.in("pt-BR").render(ctx).subject());
        assertEquals("Hello Ana", compiled.in("de").render(ctx).subject());
        assertEquals("Hello Ana", compiled.in(null).render(ctx).subject());
    }

    @Test
    void aLocaleIsKeptAndReadBackAsStored() {
        MessageTemplate t = MessageTemplate.from("t", EMAIL);

        MessageTemplate back = MessageTemplate.restore("t", t.toMap());

        assertEquals(t, back);
        assertEquals("<p>Oi</p>", back.locales().get("pt-BR").body());
    }

    @Test
    void aBadLocaleIsRefusedNamingItsField() {
        assertEquals("locales.french!", refused(Map.of("channel", "sms", "body", "Hi",
                "locales", Map.of("french!", Map.of("body", "Salut")))).field());
        assertEquals("locales.fr.title", refused(Map.of("channel", "email", "subject", "S", "body", "B",
                "locales", Map.of("fr", Map.of("subject", "S", "body", "B", "title", "T")))).field());
        assertEquals("locales.fr.subject", refused(Map.of("channel", "sms", "body", "Hi",
                "locales", Map.of("fr", Map.of("subject", "S", "body", "Salut")))).field(), "an SMS has no subject, in any language");
        assertEquals("locales.fr.subject", refused(Map.of("channel", "email", "subject", "S", "body", "B",
                "locales", Map.of("fr", Map.of("body", "B")))).field());
        assertEquals("locales.fr.body", refused(Map.of("channel", "sms", "body", "Hi",
                "locales", Map.of("fr", Map.of("body", "{{#x}}")))).field(), "each locale's Mustache must compile");
        String twice = refused(Map.of("channel", "sms", "body", "Hi",
                "locales", Map.of("fr", Map.of("body", "a"), "FR", Map.of("body", "b")))).field();
        assertEquals(true, twice.equals("locales.fr") || twice.equals("locales.FR"), "the second of the two, in the body's order: " + twice);
        assertEquals("locales", refused(Map.of("channel", "sms", "body", "Hi", "locales", "fr")).field());
    }

    @Test
    void everyLocaleOfAnSmsMustFitTheSegmentsNamingTheLocale() {
        MessageTemplate sms = MessageTemplate.from("s", Map.of("channel", "sms", "body", "Short {{link}}",
                "locales", Map.of("fr", Map.of("body", "Court {{link}}"), "de", Map.of("body", "x".repeat(400) + " {{link}}"))));
        Map<String, MessageTemplate> templates = Map.of("s", sms);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Campaign.from("c",
                Map.of("playbook", "best-channel", "sms", "s", "link", "https://shop.example.com"), templates::get,
                ContactPolicy.from(Map.of("maxSmsSegments", 2)), LinkMaker.lengthFor("https://t.example.com")));

        assertEquals("locales.de.body", e.field());
        assertEquals(true, e.getMessage().contains("locale de"), e.getMessage());
    }

    @Test
    void aContactsLocaleIsALanguageTagInItsCanonicalCase() {
        Instant now = Instant.parse("2026-12-01T17:00:00Z");

        assertEquals("fr-CA", ContactDraft.from("c", Map.of("email", "a@example.com", "locale", "fr-ca"), "api", now).locale());
        assertNull(ContactDraft.from("c", Map.of("email", "a@example.com"), "api", now).locale());
        for (String bad : new String[]{"french", "fr_FR", "", "f", "fr-", "12"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> ContactDraft.from("c", Map.of("email", "a@example.com", "locale", bad), "api", now), bad);
            assertEquals("locale", e.field(), bad);
        }
    }
}
