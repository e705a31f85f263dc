package dev.tandem.timeline;

import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventDraftsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static Map<String, Object> conversion(String id) {
        return Map.of("eventId", id, "contactId", "c1", "type", "conversion", "value", 42.5, "campaign", "winter");
    }

    @Test
    void readsOneEventWithItsTimeDefaultingToNow() {
        List<TimelineEvent> events = EventDrafts.read(conversion("e1"), NOW);

        assertEquals(1, events.size());
        assertEquals(NOW, events.get(0).at());
        assertEquals("winter", events.get(0).campaign());
        assertEquals(42.5, events.get(0).data().get("value"));
    }

    @Test
    void readsABatchAsAnArrayOrUnderEvents() {
        assertEquals(2, EventDrafts.read(List.of(conversion("e1"), conversion("e2")), NOW).size());
        assertEquals(2, EventDrafts.read(Map.of("events", List.of(conversion("e1"), conversion("e2"))), NOW).size());
    }

    @Test
    void keepsCustomEventsWithTheirName() {
        TimelineEvent e = EventDrafts.read(Map.of("eventId", "e1", "contactId", "c1", "type", "custom.cart_abandoned",
                "at", "2026-12-01T09:00:00Z", "data", Map.of("sku", "B-1")), NOW).get(0);

        assertEquals(EventType.CUSTOM, e.kind());
        assertEquals(Instant.parse("2026-12-01T09:00:00Z"), e.at());
        assertEquals(Map.of("sku", "B-1"), e.data().get("data"));
    }

    private static String fieldOf(Object body) {
        return assertThrows(InvalidInputException.class, () -> EventDrafts.read(body, NOW)).field();
    }

    @Test
    void namesTheBadFieldInsideABatch() {
        List<Object> batch = new ArrayList<>(List.of(conversion("e1"), conversion("e2")));
        batch.add(Map.of("eventId", "e3", "contactId", "c1", "type", "email.open"));
        assertEquals("[2].type", fieldOf(batch));
        assertEquals("events[0].at", fieldOf(Map.of("events", List.of(Map.of("eventId", "e", "contactId", "c",
                "type", "conversion", "at", "yesterday")))));
    }

    @Test
    void refusesEmptyAndOversizedBatches() {
        assertEquals("", fieldOf(List.of()));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < EventDrafts.MAX_BATCH + 1; i++) {
            many.add(conversion("e" + i));
        }
        assertEquals("events", fieldOf(Map.of("events", many)));
    }

    @Test
    void refusesChannelEventsWhichOnlyTheProvidersReport() {
        assertEquals("type", fieldOf(Map.of("eventId", "e1", "contactId", "c1", "type", "sms.reply")));
        assertEquals("type", fieldOf(Map.of("eventId", "e1", "contactId", "c1", "type", "custom.")));
    }

    @Test
    void refusesMissingIdsAndWrongTypes() {
        assertEquals("eventId", fieldOf(Map.of("contactId", "c1", "type", "conversion")));
        assertEquals("contactId", fieldOf(Map.of("eventId", "e1", "contactId", 7, "type", "conversion")));
        assertEquals("value", fieldOf(Map.of("eventId", "e1", "contactId", "c1", "type", "conversion", "value", List.of())));
        assertEquals("colour", fieldOf(Map.of("eventId", "e1", "contactId", "c1", "type", "conversion", "colour", "red")));
        assertEquals("", fieldOf("conversion"));
    }
}
