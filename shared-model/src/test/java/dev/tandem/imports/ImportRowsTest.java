package dev.tandem.imports;

import dev.tandem.contact.Channel;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportRowsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static List<Records.Record> records(String text, ImportFormat format) throws IOException {
        return records(text.getBytes(StandardCharsets.UTF_8), 0, format);
    }

    private static List<Records.Record> records(byte[] bytes, int from, ImportFormat format) throws IOException {
        Records r = new Records(new ByteArrayInputStream(bytes, from, bytes.length - from), from, format);
        List<Records.Record> out = new ArrayList<>();
        for (Records.Record x; (x = r.next()) != null; ) {
            out.add(x);
        }
        return out;
    }

    private static List<ImportRow> csv(String text) throws IOException {
        List<Records.Record> all = records(text, ImportFormat.CSV);
        List<String> header = ImportRows.header(all.get(0).cells());
        List<ImportRow> rows = new ArrayList<>();
        for (int i = 1; i < all.size(); i++) {
            rows.add(ImportRows.csv(i, header, all.get(i), NOW));
        }
        return rows;
    }

    @Test
    void readsQuotedCellsWithCommasQuotesAndLineBreaks() throws IOException {
        List<Records.Record> r = records("id,attr.note\r\nc1,\"Boots, \"\"warm\"\"\nand dry\"\r\nc2,plain\n", ImportFormat.CSV);

        assertEquals(3, r.size());
        assertEquals(List.of("c1", "Boots, \"warm\"\nand dry"), r.get(1).cells());
        assertEquals(List.of("c2", "plain"), r.get(2).cells());
    }

    @Test
    void eachRecordEndsAtAByteOffsetFromWhichReadingGoesOn() throws IOException {
        byte[] file = "id,email\nc1,é@example.com\nc2,b@example.com\n".getBytes(StandardCharsets.UTF_8);
        List<Records.Record> all = records(file, 0, ImportFormat.CSV);

        List<Records.Record> rest = records(file, (int) all.get(1).end(), ImportFormat.CSV);

        assertEquals(1, rest.size());
        assertEquals(List.of("c2", "b@example.com"), rest.get(0).cells());
        assertEquals(file.length, rest.get(0).end());
    }

    @Test
    void mapsColumnsToTheBodyOfAPut() throws IOException {
        ImportRow row = csv("id,email,phone,timezone,locale,consent.email,consent.sms,attr.firstName\n"
                + "c1,ana@example.com,+14155550101,Europe/Paris,fr-fr,subscribed,unsubscribed,Ana\n").get(0);

        assertTrue(row.valid(), String.valueOf(row.error()));
        assertEquals("ana@example.com", row.draft().email());
        assertEquals("Europe/Paris", row.draft().zone().getId());
        assertEquals(ConsentStatus.UNSUBSCRIBED, row.draft().consent().get(Channel.SMS).status());
        assertEquals("import", row.draft().consent().get(Channel.EMAIL).source());
        assertEquals(Map.of("firstName", "Ana"), row.draft().attributes());
        assertEquals("fr-FR", row.draft().locale());
    }

    @Test
    void aJsonLinesRowSetsTheContactsLocaleAndABadTagIsRefusedNamingLocale() throws IOException {
        Map<String, Object> ok = Map.of("id", "c1", "email", "a@example.com", "locale", "pt-br");
        Map<String, Object> bad = Map.of("id", "c2", "email", "b@example.com", "locale", "french!");
        List<Records.Record> r = records("{ok}\n{bad}\n", ImportFormat.JSONL);
        java.util.function.Function<String, Object> json = text -> text.equals("{ok}") ? ok : bad;

        ImportRow first = ImportRows.jsonl(1, r.get(0), json, NOW);
        ImportRow second = ImportRows.jsonl(2, r.get(1), json, NOW);

        assertEquals("pt-BR", first.draft().locale());
        assertEquals("locale", second.error().field());
    }

    @Test
    void aBadRowNamesItsColumnAndTheOthersStillRead() throws IOException {
        List<ImportRow> rows = csv("id,email,phone,timezone,consent.sms,attr.tier\n"
                + "c1,ana@example.com,,,,gold\n"
                + "c2,not-an-address,,,,\n"
                + "c3,,0415,,,\n"
                + "c4,d@example.com,,Mars/Olympus,,\n"
                + "c5,e@example.com,,,maybe,\n"
                + "c6,,,,,\n"
                + "c 7,g@example.com,,,,\n");

        assertTrue(rows.get(0).valid());
        assertEquals(new RowError(2, "email", "email is not a valid email address"), rows.get(1).error());
        assertEquals("phone", rows.get(2).error().field());
        assertEquals("timezone", rows.get(3).error().field());
        assertEquals("consent.sms", rows.get(4).error().field());
        assertEquals(new RowError(6, "email", "a contact needs an email or a phone"), rows.get(5).error());
        assertEquals("id", rows.get(6).error().field());
    }

    @Test
    void anAttributeErrorNamesItsColumn() throws IOException {
        ImportRow row = csv("id,email,attr.bio\nc1,a@example.com,\"" + "x".repeat(20_000) + "\"\n").get(0);

        assertEquals("attributes", row.error().field());
        assertEquals("locale", csv("id,email,locale\nc1,a@example.com,not a tag!\n").get(0).error().field());
    }

    @Test
    void aRowWithTooFewCellsOrAnOpenQuoteIsRefusedAlone() throws IOException {
        List<ImportRow> rows = csv("id,email\nc1\nc2,b@example.com\nc3,\"open\n");

        assertEquals(new RowError(1, "", "the row has 1 cells; the header has 2"), rows.get(0).error());
        assertTrue(rows.get(1).valid());
        assertEquals(new RowError(3, "", "a quoted cell is not closed"), rows.get(2).error());
    }

    @Test
    void blankLinesAreNotRowsAndABomIsNotPartOfTheHeader() throws IOException {
        List<ImportRow> rows = csv("\uFEFFid,email\n\nc1,a@example.com\n,\n\r\nc2,b@example.com");

        assertEquals(2, rows.size());
        assertEquals("c2", rows.get(1).draft().id());
    }

    @Test
    void aHeaderWithAnUnknownColumnOrNoIdIsRefusedNamingIt() {
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> ImportRows.header(List.of("id", "emial")));
        InvalidInputException noId = assertThrows(InvalidInputException.class, () -> ImportRows.header(List.of("email")));
        InvalidInputException twice = assertThrows(InvalidInputException.class, () -> ImportRows.header(List.of("id", "locale", "locale")));

        assertEquals("emial", unknown.field());
        assertTrue(unknown.getMessage().startsWith("unknown column emial"), unknown.getMessage());
        assertEquals("id", noId.field());
        assertEquals("locale", twice.field());
    }

    @Test
    void aRowThatIsNotUtf8IsRefusedNotMisread() throws IOException {
        byte[] file = "id,email\nc1,a\u00e9@example.com\n".getBytes(StandardCharsets.ISO_8859_1);

        List<Records.Record> r = records(file, 0, ImportFormat.CSV);

        assertEquals("the row is not UTF-8 text", r.get(1).problem());
    }

    @Test
    void aJsonLinesRowIsThePutBodyWithItsId() throws IOException {
        Map<String, Object> ok = Map.of("id", "c1", "email", "a@example.com", "attributes", Map.of("tier", 2));
        Map<String, Object> unknown = Map.of("id", "c2", "email", "b@example.com", "nickname", "B");
        List<Records.Record> r = records("{ok}\n\n{unknown}\r\n[1]\n", ImportFormat.JSONL);
        java.util.function.Function<String, Object> json = text -> switch (text) {
            case "{ok}" -> ok;
            case "{unknown}" -> unknown;
            default -> List.of(1);
        };

        ImportRow first = ImportRows.jsonl(1, r.get(0), json, NOW);
        ImportRow second = ImportRows.jsonl(2, r.get(1), json, NOW);
        ImportRow third = ImportRows.jsonl(3, r.get(2), json, NOW);

        assertEquals(3, r.size());
        assertNull(first.error());
        assertEquals(Map.of("tier", 2), first.draft().attributes());
        assertEquals(new RowError(2, "nickname", "unknown field nickname"), second.error());
        assertEquals(new RowError(3, "", "the row must be a JSON object"), third.error());
    }
}
