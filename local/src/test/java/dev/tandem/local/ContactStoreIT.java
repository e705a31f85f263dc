package dev.tandem.local;

import dev.tandem.aws.Env;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Consent;
import dev.tandem.contact.Contact;
import dev.tandem.port.ContactStore;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.ConflictException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactStoreIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");
    private final ContactStore store = new DynamoContactStore(Emulator.dynamo(),
            StoreConfig.from(new Env(Emulator.functions(java.time.Clock.systemUTC()).environment("ApiFunction"))));
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private Contact contact(String id, String email, String phone) {
        return new Contact(id, email, phone, ZoneId.of("Europe/Paris"),
                Map.of(Channel.EMAIL, Consent.subscribed("test", T0)), Map.of(),
                Map.of("firstName", "Ana", "recommendations", List.of(Map.of("name", "Boots", "price", 120))), T0, T0);
    }

    private TimelineEvent event(String contactId, String eventId, Instant at) {
        return new TimelineEvent(eventId, contactId, "conversion", at, "winter", null, null, Map.of("value", 12.5));
    }

    @Test
    void savesAndReadsBackAProfileWithNestedAttributes() {
        Contact c = contact("ana-" + run, "ana-" + run + "@example.com", null);
        store.save(c, null);

        Contact read = store.find(c.id()).orElseThrow();
        assertEquals(c.email(), read.email());
        assertEquals(c.zone(), read.zone());
        assertEquals(c.consent(), read.consent());
        assertEquals(List.of(Map.of("name", "Boots", "price", 120L)), read.attributes().get("recommendations"));
    }

    @Test
    void keepsEmailAndPhoneUniquePerContact() {
        String email = "shared-" + run + "@example.com";
        String phone = "+1415555" + (1000 + Math.abs(run.hashCode() % 8999));
        store.save(contact("a-" + run, email, phone), null);

        ConflictException byEmail = assertThrows(ConflictException.class,
                () -> store.save(contact("b-" + run, email.toUpperCase(), null), null));
        ConflictException byPhone = assertThrows(ConflictException.class,
                () -> store.save(contact("b-" + run, "other-" + run + "@example.com", phone), null));

        assertEquals("email", byEmail.field());
        assertEquals("phone", byPhone.field());
        assertTrue(store.find("b-" + run).isEmpty(), "a refused contact leaves no profile");
    }

    @Test
    void changingAnAddressFreesTheOldOne() {
        Contact first = contact("m-" + run, "old-" + run + "@example.com", null);
        store.save(first, null);
        Contact moved = new Contact(first.id(), "new-" + run + "@example.com", null, first.zone(), first.consent(),
                first.states(), first.attributes(), first.createdAt(), T0.plusSeconds(60));
        store.save(moved, first);

        store.save(contact("n-" + run, "old-" + run + "@example.com", null), null);
        assertEquals("new-" + run + "@example.com", store.find("m-" + run).orElseThrow().email());
    }

    @Test
    void aStaleUpdateIsRefusedWithoutWriting() {
        Contact first = contact("s-" + run, "s-" + run + "@example.com", null);
        store.save(first, null);
        Contact moved = new Contact(first.id(), "s2-" + run + "@example.com", null, first.zone(), first.consent(),
                first.states(), first.attributes(), first.createdAt(), T0);
        store.save(moved, first);

        assertThrows(ContactStore.ConcurrentChangeException.class, () -> store.save(moved, first));
    }

    @Test
    void appendingTheSameEventTwiceAddsItOnce() {
        String id = "e-" + run;
        store.save(contact(id, id + "@example.com", null), null);
        TimelineEvent e = event(id, "order-" + run, T0);

        assertTrue(store.appendAll(posted(e), T0).get(0).added());
        assertFalse(store.appendAll(posted(e), T0).get(0).added());
        List<ContactStore.Appended> mixed = store.appendAll(posted(e, event(id, "order2-" + run, T0.plusSeconds(5))), T0);

        assertEquals(List.of(false, true), mixed.stream().map(ContactStore.Appended::added).toList());
        assertEquals(2, store.timeline(id, 10, null).items().size());
    }

    @Test
    void aBatchNamingAnUnknownContactWritesNothing() {
        String id = "u-" + run;
        store.save(contact(id, id + "@example.com", null), null);

        assertThrows(ContactStore.UnknownContactException.class, () -> store.appendAll(posted(
                event(id, "x1-" + run, T0), event("ghost-" + run, "x2-" + run, T0)), T0));

        assertTrue(store.timeline(id, 10, null).items().isEmpty());
    }

    @Test
    void readsTheProfileAndTheNewestEventsInOneQuery() {
        String id = "v-" + run;
        store.save(contact(id, id + "@example.com", null), null);
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(event(id, "ev" + i + "-" + run, T0.plus(Duration.ofHours(i))));
        }
        store.appendAll(posted(events.toArray(TimelineEvent[]::new)), T0);

        ContactStore.ContactView view = store.view(id, T0.plus(Duration.ofHours(2)), 3).orElseThrow();

        assertEquals(id, view.contact().id());
        assertEquals(List.of("ev6-" + run, "ev5-" + run, "ev4-" + run),
                view.timeline().newestFirst().stream().map(TimelineEvent::eventId).toList());
    }

    @Test
    void pagesTheTimelineNewestFirst() {
        String id = "p-" + run;
        store.save(contact(id, id + "@example.com", null), null);
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event(id, "pg" + i + "-" + run, T0.plus(Duration.ofMinutes(i))));
        }
        store.appendAll(posted(events.toArray(TimelineEvent[]::new)), T0);

        ContactStore.TimelinePage first = store.timeline(id, 2, null);
        ContactStore.TimelinePage second = store.timeline(id, 2, first.next());
        ContactStore.TimelinePage third = store.timeline(id, 2, second.next());

        assertEquals("pg4-" + run, first.items().get(0).eventId());
        assertEquals("pg2-" + run, second.items().get(0).eventId());
        assertEquals(1, third.items().size());
        assertNull(third.next());
        assertNotNull(first.next());
    }

    @Test
    void timelineItemsCarryATtl() {
        String id = "t-" + run;
        store.save(contact(id, id + "@example.com", null), null);
        store.appendAll(posted(event(id, "ttl-" + run, T0)), T0);

        List<Map<String, AttributeValue>> items = Emulator.itemsMentioning("ttl-" + run);
        long expected = T0.plus(Duration.ofDays(400)).getEpochSecond();
        assertTrue(items.stream().allMatch(i -> Long.parseLong(i.get("expiresAt").n()) == expected), items.toString());
    }

    @Test
    void erasingLeavesNoItemOfTheContact() {
        String id = "gone-" + run;
        store.save(contact(id, id + "@example.com", "+1415777" + (1000 + Math.abs(run.hashCode() % 8999))), null);
        store.appendAll(posted(event(id, "g1-" + run, T0), event(id, "g2-" + run, T0.plusSeconds(1))), T0);
        assertFalse(Emulator.itemsMentioning(id).isEmpty());

        assertTrue(store.erase(id));

        assertEquals(List.of(), Emulator.itemsMentioning(id));
        assertFalse(store.erase(id));
    }

    /** Events as an upstream system posts them, each fingerprinted by its own content. */
    private static List<dev.tandem.timeline.EventDrafts.Posted> posted(TimelineEvent... events) {
        return java.util.Arrays.stream(events).map(e -> new dev.tandem.timeline.EventDrafts.Posted(e, e.eventId() + e.at())).toList();
    }

    @Test
    void theEmulatorRefusesWhatDynamoDbRefusesAnItemOver400KbAndKeysOverTheirLimits() {
        String table = Emulator.table();
        java.util.function.Function<Map<String, AttributeValue>, String> put = item -> {
            try {
                Emulator.dynamo().putItem(r -> r.tableName(table).item(item));
                return "stored";
            } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
                return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
            } catch (dev.tandem.port.ItemTooLargeException e) {
                return "ItemTooLarge: " + e.getMessage();
            }
        };
        String pk = "LIMITS#" + run;
        assertTrue(put.apply(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS("x".repeat(1025)))).startsWith("ItemTooLarge"),
                "a sort key over 1 KB");
        assertTrue(put.apply(Map.of("PK", AttributeValue.fromS("y".repeat(2049)), "SK", AttributeValue.fromS("a"))).startsWith("ItemTooLarge"),
                "a partition key over 2 KB");
        assertTrue(put.apply(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS("big"),
                "v", AttributeValue.fromS("z".repeat(410 * 1024)))).startsWith("ItemTooLarge"), "an item over 400 KB");
        assertEquals("stored", put.apply(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS("ok"),
                "v", AttributeValue.fromS("z".repeat(390 * 1024)))));
    }
}
