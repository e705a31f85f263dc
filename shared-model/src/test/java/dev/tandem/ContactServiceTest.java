package dev.tandem;

import dev.tandem.app.ContactService;
import dev.tandem.contact.Contact;
import dev.tandem.testing.InMemoryContactStore;
import dev.tandem.validation.ConflictException;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final InMemoryContactStore store = new InMemoryContactStore();
    private final ContactService service = new ContactService(store);

    @Test
    void putsAndReadsAContact() {
        service.put("c1", Map.of("email", "ana@example.com", "phone", "+14155550101"), NOW);

        Contact c = service.get("c1");
        assertEquals("+14155550101", c.phone());
    }

    @Test
    void keepsEmailUniqueAcrossContactsIgnoringCase() {
        service.put("c1", Map.of("email", "ana@example.com"), NOW);

        ConflictException e = assertThrows(ConflictException.class,
                () -> service.put("c2", Map.of("email", "ANA@example.com"), NOW));
        assertEquals("email", e.field());
        assertTrue(store.find("c2").isEmpty());
    }

    @Test
    void anEventPostedTwiceIsAddedOnce() {
        service.put("c1", Map.of("email", "ana@example.com"), NOW);
        Map<String, Object> event = Map.of("eventId", "e1", "contactId", "c1", "type", "conversion");

        assertTrue(service.post(event, NOW).get(0).added());
        assertFalse(service.post(event, NOW).get(0).added());
        assertEquals(1, store.events("c1").size());
    }

    @Test
    void aBatchNamingAnUnknownContactWritesNothingAndNamesTheEvent() {
        service.put("c1", Map.of("email", "ana@example.com"), NOW);
        List<Object> batch = List.of(
                Map.of("eventId", "e1", "contactId", "c1", "type", "conversion"),
                Map.of("eventId", "e2", "contactId", "ghost", "type", "conversion"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.post(Map.of("events", batch), NOW));

        assertEquals("events[1].contactId", e.field());
        assertTrue(store.events("c1").isEmpty());
    }

    @Test
    void erasingAnUnknownContactIsNotFound() {
        assertEquals("id", assertThrows(NotFoundException.class, () -> service.erase("nobody")).field());
    }

    @Test
    void refusesATimelineLimitOutOfRange() {
        service.put("c1", Map.of("email", "ana@example.com"), NOW);
        assertEquals("limit", assertThrows(InvalidInputException.class, () -> service.timeline("c1", 0, null)).field());
        assertEquals("limit", assertThrows(InvalidInputException.class, () -> service.timeline("c1", 101, null)).field());
    }

    @Test
    void oneEventIdNamingTwoDifferentEventsInABatchIsAConflict() {
        service.put("c1", Map.of("email", "ana@example.com"), NOW);
        ConflictException e = assertThrows(ConflictException.class, () -> service.post(java.util.List.of(
                Map.of("eventId", "o1", "contactId", "c1", "type", "conversion", "value", 1),
                Map.of("eventId", "o1", "contactId", "c1", "type", "conversion", "value", 2)), NOW));
        assertEquals("[1].eventId", e.field());
        assertTrue(store.events("c1").isEmpty(), "nothing written");
        assertEquals(2, service.post(java.util.List.of(
                Map.of("eventId", "o2", "contactId", "c1", "type", "conversion", "value", 1),
                Map.of("eventId", "o2", "contactId", "c1", "type", "conversion", "value", 1)), NOW).size(), "the same event twice is fine");
    }
}
