package dev.tandem.imports;

import java.util.Locale;
import java.util.Optional;

/** The two file formats an import reads, told apart by the file name's extension. */
public enum ImportFormat {
    CSV(".csv"),
    JSONL(".jsonl");

    private final String extension;

    ImportFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public static Optional<ImportFormat> of(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (ImportFormat f : values()) {
            if (lower.endsWith(f.extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
