package dev.tandem.imports;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why one row was refused: its 1-based data row number (a CSV header is not a row), the field or column at fault
 * ({@code ""} for the row as a whole), and a message of ours. Row 0 is the file itself: an empty file, a bad header.
 */
public record RowError(long row, String field, String error) {
    public RowError {
        field = field == null ? "" : field;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", row);
        m.put("field", field);
        m.put("error", error);
        return m;
    }
}
