package dev.tandem.contact;

import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContactDraftTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-02T10:00:00Z");

    private static Map<String, Object> body() {
        return Map.of(
                "email", "ana@example.com",
                "phone", "+14155550101",
                "timezone", "America/Los_Angeles",
                "consent", Map.of("email", "subscribed", "sms", Map.of("status", "subscribed", "source", "checkout")),
                "attributes", Map.of("firstName", "Ana", "recommendations", List.of(Map.of("name", "Boots"))));
    }

    @Test
    void readsAFullProfile() {
        Contact c = ContactDraft.from("c1", body(), "api", T0).applyTo(null, T0);

        assertEquals("ana@example.com", c.email());
        assertEquals(ZoneId.of("America/Los_Angeles"), c.zone());
        assertEquals(Consent.subscribed("api", T0), c.consent().get(Channel.EMAIL));
        // The source is how the consent reached Tandem; the caller's own label is kept as evidence of the form.
        assertEquals("api", c.consent().get(Channel.SMS).source());
        assertEquals(Map.of("form", "checkout"), c.consent().get(Channel.SMS).evidence());
        assertEquals("Ana", c.attributes().get("firstName"));
        assertEquals(T0, c.createdAt());
    }

    @Test
    void updateKeepsChannelStatesCreationAndUnchangedConsent() {
        Contact first = ContactDraft.from("c1", body(), "api", T0).applyTo(null, T0)
                .withState(Channel.EMAIL, ChannelState.suppressed("bounce: Permanent", T0), T0);

        Contact second = ContactDraft.from("c1", body(), "api", T1).applyTo(first, T1);

        assertEquals(Reachability.SUPPRESSED, second.stateOf(Channel.EMAIL).status());
        assertEquals(T0, second.createdAt());
        assertEquals(T1, second.updatedAt());
        assertEquals(T0, second.consent().get(Channel.EMAIL).at(), "consent that did not change keeps its time");
    }

    @Test
    void changedConsentTakesTheNewSourceAndTime() {
        Contact first = ContactDraft.from("c1", body(), "api", T0).applyTo(null, T0);
        Map<String, Object> b = new java.util.HashMap<>(body());
        b.put("consent", Map.of("email", "unsubscribed"));

        Contact second = ContactDraft.from("c1", b, "api", T1).applyTo(first, T1);

        assertEquals(Consent.unsubscribed("api", T1), second.consent().get(Channel.EMAIL));
        assertEquals(first.consent().get(Channel.SMS), second.consent().get(Channel.SMS));
    }

    @Test
    void aContactWithoutZoneIsInUtc() {
        Contact c = ContactDraft.from("c1", Map.of("email", "a@example.com"), "api", T0).applyTo(null, T0);
        assertEquals("Z", c.zone().getId());
        assertNull(c.phone());
    }

    private static String fieldOf(Object body) {
        return assertThrows(InvalidInputException.class, () -> ContactDraft.from("c1", body, "api", T0)).field();
    }

    @Test
    void namesTheBadField() {
        assertEquals("", fieldOf(List.of()));
        assertEquals("email", fieldOf(Map.of("email", "nope")));
        assertEquals("email", fieldOf(Map.of("email", 42)));
        assertEquals("phone", fieldOf(Map.of("phone", "555-0101")));
        assertEquals("timezone", fieldOf(Map.of("email", "a@example.com", "timezone", "Moon/Base")));
        assertEquals("consent.email", fieldOf(Map.of("email", "a@example.com", "consent", Map.of("email", "yes"))));
        assertEquals("consent.fax", fieldOf(Map.of("email", "a@example.com", "consent", Map.of("fax", "subscribed"))));
        assertEquals("consent.sms.status", fieldOf(Map.of("email", "a@example.com", "consent", Map.of("sms", Map.of()))));
        assertEquals("attributes", fieldOf(Map.of("email", "a@example.com", "attributes", List.of())));
        assertEquals("attributes.first name", fieldOf(Map.of("email", "a@example.com", "attributes", Map.of("first name", "x"))));
        assertEquals("nickname", fieldOf(Map.of("email", "a@example.com", "nickname", "x")));
        assertEquals("email", fieldOf(Map.of("timezone", "UTC")));
        assertEquals("id", fieldOf(Map.of("id", "c2", "email", "a@example.com")));
    }

    @Test
    void refusesAttributesOverTheSizeLimit() {
        Map<String, Object> big = Map.of("blob", "x".repeat(ContactDraft.MAX_ATTRIBUTES_BYTES));
        assertEquals("attributes", fieldOf(Map.of("email", "a@example.com", "attributes", big)));
    }

    @Test
    void refusesAttributesNestedTooDeep() {
        Object deep = "leaf";
        for (int i = 0; i < 8; i++) {
            deep = Map.of("k", deep);
        }
        String field = fieldOf(Map.of("email", "a@example.com", "attributes", Map.of("a", deep)));
        assertEquals(true, field.startsWith("attributes.a."), field);
    }

    @Test
    void consentCarriesItsEvidence() {
        Map<String, Object> body = Map.of("phone", "+14155550101", "consent", Map.of("sms", Map.of("status", "pending",
                "at", "2026-11-30T18:00:00Z",
                "evidence", Map.of("text", "Reply YES for order texts", "version", "sms-terms-3", "ip", "2001:db8::7"))));

        Consent sms = ContactDraft.from("c1", body, "api", T0).applyTo(null, T0).consent().get(Channel.SMS);

        assertEquals(ConsentStatus.PENDING, sms.status());
        assertEquals(Instant.parse("2026-11-30T18:00:00Z"), sms.at());
        assertEquals(Map.of("text", "Reply YES for order texts", "version", "sms-terms-3", "ip", "2001:db8::7"), sms.evidence());
    }

    @Test
    void badConsentIsNamed() {
        assertEquals("consent.email", fieldOf(Map.of("email", "a@example.com", "consent", Map.of("email", "pending"))));
        assertEquals("consent.sms.evidence.ip", fieldOf(Map.of("phone", "+14155550101",
                "consent", Map.of("sms", Map.of("status", "subscribed", "evidence", Map.of("ip", "300.1.1.1"))))));
        assertEquals("consent.sms.evidence.signature", fieldOf(Map.of("phone", "+14155550101",
                "consent", Map.of("sms", Map.of("status", "subscribed", "evidence", Map.of("signature", "x"))))));
        assertEquals("consent.sms.evidence", fieldOf(Map.of("phone", "+14155550101",
                "consent", Map.of("sms", Map.of("status", "subscribed", "evidence", "yes")))));
        assertEquals("consent.sms.at", fieldOf(Map.of("phone", "+14155550101",
                "consent", Map.of("sms", Map.of("status", "pending", "at", T0.plusSeconds(3600).toString())))));
        assertEquals("consent.sms.proof", fieldOf(Map.of("phone", "+14155550101",
                "consent", Map.of("sms", Map.of("status", "subscribed", "proof", "x")))));
    }

}
