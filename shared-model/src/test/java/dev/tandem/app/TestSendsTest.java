package dev.tandem.app;

import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ContactDraft;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.EmailSender;
import dev.tandem.port.SmsSender;
import dev.tandem.validation.ConflictException;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestSendsTest {
    static final Instant NOW = Instant.parse("2026-12-01T17:00:00Z");

    final Map<String, MessageTemplate> templates = new HashMap<>();
    final dev.tandem.testing.InMemoryEngagementStore contacts = new dev.tandem.testing.InMemoryEngagementStore();
    final List<EmailSender.Email> emails = new ArrayList<>();
    final List<SmsSender.Sms> sms = new ArrayList<>();
    final Set<String> remembered;
    final TestSends sends;

    TestSendsTest() {
        CampaignStore campaigns = (CampaignStore) Proxy.newProxyInstance(CampaignStore.class.getClassLoader(),
                new Class<?>[]{CampaignStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "template" -> Optional.ofNullable(templates.get((String) args[0]));
                    case "policy" -> ContactPolicy.DEFAULT;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        dev.tandem.testing.InMemoryTestSendLog log = new dev.tandem.testing.InMemoryTestSendLog();
        remembered = log.ids;
        sends = new TestSends(campaigns, contacts, contacts, e -> {
            emails.add(e);
            return "ses-" + emails.size();
        }, m -> {
            sms.add(m);
            return "sns-" + sms.size();
        }, log);
        template("welcome", Map.of("channel", "email", "subject", "Hello {{contact.firstName}}", "body", "<p>Hi {{contact.firstName}}</p>",
                "locales", Map.of("fr", Map.of("subject", "Bonjour {{contact.firstName}}", "body", "<p>Salut {{contact.firstName}}</p>"))));
        template("alert", Map.of("channel", "sms", "body", "Hi {{contact.firstName}}, sale today"));
        contact("ana", "subscribed", "fr-CA");
        contact("bo", "unsubscribed", null);
    }

    void template(String id, Map<String, Object> body) {
        templates.put(id, MessageTemplate.from(id, body));
    }

    void contact(String id, String consent, String locale) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("email", id + "@example.com", "phone", "+1415555010" + id.length(),
                "consent", Map.of("email", consent, "sms", consent), "attributes", Map.of("firstName", id)));
        if (locale != null) {
            body.put("locale", locale);
        }
        contacts.save(ContactDraft.from(id, body, "test", NOW).applyTo(null, NOW), null);
    }

    @Test
    void aTestToAContactIsRenderedInItsLocaleMarkedAndTaggedAndLeavesNoTrace() {
        TestSends.Sent sent = sends.send("welcome", Map.of("contact", "ana"), NOW);

        assertEquals(1, emails.size());
        EmailSender.Email e = emails.get(0);
        assertEquals("ana@example.com", e.to());
        assertEquals("[Test] Bonjour ana", e.subject());
        assertTrue(e.html().contains("Salut ana"), e.html());
        assertEquals(Map.of(TestSends.TAG, "true"), e.tags(), "only the test tag: nothing names a contact or a campaign");
        assertEquals(new TestSends.Sent(Channel.EMAIL, "ana@example.com", "ses-1", "[Test] Bonjour ana", null), sent);
        assertTrue(contacts.events("ana").isEmpty(), "no sent event, no timeline");
    }

    @Test
    void aTestSmsToAnAddressRendersTheValuesAndIsRememberedForItsReceipts() {
        TestSends.Sent sent = sends.send("alert", Map.of("to", "+14155550199", "values", Map.of("firstName", "Zoe")), NOW);

        assertEquals(List.of(new SmsSender.Sms("+14155550199", "[Test] Hi Zoe, sale today", true)), sms);
        assertEquals("[Test] Hi Zoe, sale today", sent.text());
        assertEquals(Set.of("sns-1"), remembered);
    }

    @Test
    void aContactWhoSaidNoIsNotSentEvenATest() {
        ConflictException e = assertThrows(ConflictException.class, () -> sends.send("alert", Map.of("contact", "bo"), NOW));

        assertEquals("contact", e.field());
        // bo's number ("+14155550102") given as to: the same refusal, naming to.
        ConflictException byNumber = assertThrows(ConflictException.class, () -> sends.send("alert", Map.of("to", "+14155550102"), NOW));
        assertEquals("to", byNumber.field());
        assertTrue(byNumber.getMessage().contains("no-consent"), byNumber.getMessage());
        assertTrue(sms.isEmpty() && emails.isEmpty());
    }

    @Test
    void aRetriedTestWithItsIdSendsNothingMore() {
        Map<String, Object> body = Map.of("to", "+14155550199", "values", Map.of("firstName", "Zoe"), "testId", "try-1");
        sends.send("alert", body, NOW);

        ConflictException again = assertThrows(ConflictException.class, () -> sends.send("alert", body, NOW.plusSeconds(2)));

        assertEquals("testId", again.field());
        assertEquals(1, sms.size());
        sends.send("alert", Map.of("to", "+14155550199", "testId", "try-2"), NOW.plusSeconds(3));
        assertEquals(2, sms.size(), "a new id is a new test");
    }

    @Test
    void aPendingNumberGetsNoTest() {
        contacts.save(ContactDraft.from("cy", Map.of("phone", "+14155550177", "consent", Map.of("sms", "pending")), "test", NOW)
                .applyTo(null, NOW), null);

        assertEquals("contact", assertThrows(ConflictException.class, () -> sends.send("alert", Map.of("contact", "cy"), NOW)).field());
        assertTrue(assertThrows(ConflictException.class, () -> sends.send("alert", Map.of("to", "+14155550177"), NOW))
                .getMessage().contains("pending-consent"));
        assertTrue(sms.isEmpty());
    }

    @Test
    void badBodiesAreRefusedNamingTheFieldAndSendNothing() {
        Map<Object, String> bad = new java.util.LinkedHashMap<>();
        bad.put(Map.of(), "contact");
        bad.put(Map.of("contact", "ana", "to", "a@example.com"), "to");
        bad.put(Map.of("to", "+14155550199"), "to");
        bad.put(Map.of("to", "not an address"), "to");
        bad.put(Map.of("contact", "ana", "values", Map.of()), "values");
        bad.put(Map.of("to", "a@example.com", "values", Map.of("bad name", 1)), "values.bad name");
        bad.put(Map.of("to", "a@example.com", "values", "x"), "values");
        bad.put(Map.of("contact", "ana", "cc", "x"), "cc");
        bad.put(List.of(), "");
        bad.forEach((body, field) -> {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> sends.send("welcome", body, NOW), body.toString());
            assertEquals(field, e.field(), body.toString());
        });
        assertEquals("to", assertThrows(InvalidInputException.class,
                () -> sends.send("alert", Map.of("to", "a@example.com"), NOW)).field(), "an SMS goes to a number");
        assertEquals("contact", assertThrows(NotFoundException.class, () -> sends.send("welcome", Map.of("contact", "nobody"), NOW)).field());
        assertEquals("id", assertThrows(NotFoundException.class, () -> sends.send("none", Map.of("contact", "ana"), NOW)).field());
        assertTrue(sms.isEmpty() && emails.isEmpty());
    }
}
