package dev.tandem.imports;

import dev.tandem.contact.ContactDraft;

/** One data row, read and validated: its draft, or why it was refused. */
public record ImportRow(long row, ContactDraft draft, RowError error) {
    public static ImportRow ok(long row, ContactDraft draft) {
        return new ImportRow(row, draft, null);
    }

    public static ImportRow refused(long row, String field, String error) {
        return new ImportRow(row, null, new RowError(row, field, error));
    }

    public boolean valid() {
        return error == null;
    }
}
