package dev.tandem.ingest;

import java.time.Instant;
import java.util.Objects;

/** A notification that maps to no contact: kept with its reason, never dropped. */
public record Unmatched(String id, String source, Instant at, String reason, String payload) {
    public Unmatched {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
