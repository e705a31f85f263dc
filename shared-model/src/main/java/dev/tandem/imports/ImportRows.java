package dev.tandem.imports;

import dev.tandem.contact.ContactDraft;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rows of an import file turned into what {@code PUT /contacts/{id}} takes, and validated by the very same
 * {@link ContactDraft}. A CSV row becomes the body a caller would send: {@code email}, {@code phone}, {@code timezone},
 * {@code consent.email} and {@code consent.sms} into {@code consent}, each {@code attr.NAME} into
 * {@code attributes}; an empty cell is a field left out. A JSON Lines row is the body itself, with its {@code id}.
 */
public final class ImportRows {
    /** Where the consent a row sets comes from, on the contact's consent record. */
    public static final String SOURCE = "import";
    public static final List<String> COLUMNS = List.of("id", "email", "phone", "timezone", "locale", "consent.email", "consent.sms");
    public static final String ATTRIBUTE_PREFIX = "attr.";
    private static final String ATTRIBUTE_NAME = "[A-Za-z_][A-Za-z0-9_]{0,63}";

    private ImportRows() {
    }

    /** Checks a CSV header and answers its columns; a column it cannot take throws, naming it. */
    public static List<String> header(List<String> cells) {
        Set<String> seen = new HashSet<>();
        List<String> columns = cells.stream().map(String::trim).toList();
        for (String c : columns) {
            if (c.isEmpty()) {
                throw new InvalidInputException("", "the header has an empty column name; columns are "
                        + String.join(", ", COLUMNS) + " and attr.NAME");
            }
            boolean attribute = c.startsWith(ATTRIBUTE_PREFIX);
            if (!COLUMNS.contains(c) && !attribute) {
                throw new InvalidInputException(c, "unknown column " + c + "; columns are " + String.join(", ", COLUMNS)
                        + " and attr.NAME for an attribute");
            }
            if (attribute && !c.substring(ATTRIBUTE_PREFIX.length()).matches(ATTRIBUTE_NAME)) {
                throw new InvalidInputException(c, c + ": attribute names start with a letter or _ and hold letters, digits and _ (at most 64)");
            }
            if (!seen.add(c)) {
                throw new InvalidInputException(c, "column " + c + " appears twice");
            }
        }
        if (!columns.contains("id")) {
            throw new InvalidInputException("id", "the header has no id column");
        }
        return columns;
    }

    /** A CSV row under its header. */
    public static ImportRow csv(long row, List<String> header, Records.Record record, Instant now) {
        if (record.problem() != null) {
            return ImportRow.refused(row, "", record.problem());
        }
        List<String> cells = record.cells();
        if (cells.size() != header.size()) {
            return ImportRow.refused(row, "", "the row has " + cells.size() + " cells; the header has " + header.size());
        }
        String id = null;
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> consent = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        boolean hasAttributes = false;
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            String cell = cells.get(i);
            hasAttributes |= column.startsWith(ATTRIBUTE_PREFIX);
            if (cell.isBlank()) {
                continue;
            }
            switch (column) {
                case "id" -> id = cell.trim();
                case "email", "phone", "timezone", "locale" -> body.put(column, cell);
                case "consent.email" -> consent.put("email", cell.trim());
                case "consent.sms" -> consent.put("sms", cell.trim());
                default -> attributes.put(column.substring(ATTRIBUTE_PREFIX.length()), cell);
            }
        }
        if (!consent.isEmpty()) {
            body.put("consent", consent);
        }
        if (hasAttributes) {
            body.put("attributes", attributes);
        }
        return draft(row, id, body, now, true);
    }

    /** A JSON Lines row: the body of {@code PUT /contacts/{id}} with its {@code id}, decoded by {@code json}. */
    public static ImportRow jsonl(long row, Records.Record record, Function<String, Object> json, Instant now) {
        if (record.problem() != null) {
            return ImportRow.refused(row, "", record.problem());
        }
        Object body;
        try {
            body = json.apply(record.text());
        } catch (InvalidInputException e) {
            return ImportRow.refused(row, "", "the row is not valid JSON");
        }
        if (!(body instanceof Map<?, ?> map)) {
            return ImportRow.refused(row, "", "the row must be a JSON object");
        }
        Object id = map.get("id");
        if (id != null && !(id instanceof String)) {
            return ImportRow.refused(row, "id", "id must be a string");
        }
        return draft(row, (String) id, body, now, false);
    }

    private static ImportRow draft(long row, String id, Object body, Instant now, boolean csv) {
        try {
            return ImportRow.ok(row, ContactDraft.from(id, body, SOURCE, now));
        } catch (InvalidInputException e) {
            String field = e.field() == null ? "" : e.field();
            if (csv && field.startsWith("attributes.")) {
                field = ATTRIBUTE_PREFIX + field.substring("attributes.".length());
            }
            String message = e.getMessage();
            if (csv && message.startsWith("attributes.")) {
                message = ATTRIBUTE_PREFIX + message.substring("attributes.".length());
            }
            return ImportRow.refused(row, field, message);
        }
    }
}
