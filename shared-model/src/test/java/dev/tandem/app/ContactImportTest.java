package dev.tandem.app;

import dev.tandem.contact.Contact;
import dev.tandem.imports.ImportRow;
import dev.tandem.imports.RowError;
import dev.tandem.contact.ContactDraft;
import dev.tandem.testing.InMemoryContactStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactImportTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    /** Counts the batches the import hands the store. */
    private static final class CountingStore extends InMemoryContactStore {
        final List<Integer> batches = new ArrayList<>();

        @Override
        public List<Saved> saveAll(List<Save> saves) {
            batches.add(saves.size());
            return super.saveAll(saves);
        }
    }

    private final CountingStore store = new CountingStore();
    private final ContactImport importer = new ContactImport(store);

    private static ImportRow row(long n, String id, Map<String, Object> body) {
        return ImportRow.ok(n, ContactDraft.from(id, body, "import", NOW));
    }

    @Test
    void aDuplicateEmailInTheFileRefusesTheLaterRowAlone() {
        ContactImport.Outcome o = importer.write(List.of(
                row(1, "c1", Map.of("email", "ana@example.com")),
                row(2, "c2", Map.of("email", "ANA@example.com")),
                row(3, "c3", Map.of("email", "cy@example.com"))), NOW);

        assertEquals(2, o.imported());
        assertEquals(List.of(new RowError(2, "email", "email already belongs to another contact (row 1 of this file has it)")), o.refused());
        assertTrue(store.find("c2").isEmpty());
        assertEquals(List.of(2), store.batches, "both good rows in one batch");
    }

    @Test
    void aClashWithAStoredContactIsRefusedByTheStoreNamingTheField() {
        new ContactService(store).put("old", Map.of("phone", "+14155550101"), NOW);

        ContactImport.Outcome o = importer.write(List.of(
                row(1, "c1", Map.of("phone", "+14155550101")),
                row(2, "c2", Map.of("phone", "+14155550102"))), NOW);

        assertEquals(1, o.imported());
        assertEquals(List.of(new RowError(1, "phone", "phone already belongs to another contact")), o.refused());
    }

    @Test
    void rowsAlreadyAsStoredAreNotWrittenAgain() {
        List<ImportRow> rows = List.of(row(1, "c1", Map.of("email", "a@example.com", "consent", Map.of("email", "subscribed"),
                "attributes", Map.of("visits", 12, "ratio", new java.math.BigDecimal("0.50")))));
        importer.write(rows, NOW);
        store.batches.clear();

        ContactImport.Outcome again = importer.write(rows, NOW.plusSeconds(3600));

        assertEquals(new ContactImport.Outcome(0, 1, List.of()), again);
        assertTrue(store.batches.isEmpty(), "nothing handed to the store");
        assertEquals(NOW, store.find("c1").orElseThrow().updatedAt());
    }

    @Test
    void aContactNamedTwiceIsWrittenInFileOrderAndAFreedAddressCanBeTakenLater() {
        ContactImport.Outcome o = importer.write(List.of(
                row(1, "c1", Map.of("email", "first@example.com")),
                row(2, "c1", Map.of("email", "second@example.com")),
                row(3, "c2", Map.of("email", "first@example.com"))), NOW);

        assertEquals(3, o.imported());
        assertEquals(List.of(), o.refused());
        assertEquals("second@example.com", store.find("c1").orElseThrow().email());
        assertEquals("first@example.com", store.find("c2").orElseThrow().email());
        assertEquals(List.of(1, 1, 1), store.batches, "each write waits for the one before it that touches its contact or address");
    }

    @Test
    void aRowAppliedOverAProfileThatMovedIsWrittenAsPutWouldWriteIt() {
        InMemoryContactStore moving = new InMemoryContactStore() {
            private boolean moved;

            @Override
            public java.util.Map<String, Contact> findAll(java.util.Collection<String> ids) {
                java.util.Map<String, Contact> read = super.findAll(ids);
                if (!moved) {
                    moved = true;
                    new ContactService(this).put("c1", Map.of("email", "moved@example.com"), NOW);
                }
                return read;
            }
        };

        ContactImport.Outcome o = new ContactImport(moving).write(List.of(row(1, "c1", Map.of("email", "mine@example.com"))), NOW);

        assertEquals(1, o.imported());
        assertEquals("mine@example.com", moving.find("c1").orElseThrow().email());
    }
}
