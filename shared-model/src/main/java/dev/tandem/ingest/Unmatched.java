package dev.tandem.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification that maps to no contact: kept with its reason, never dropped, and only what matching it later
 * needs: the provider's message id, and the one address, number or contact id it names (null when it names none),
 * so that erasing a contact also erases what was kept about it. Not the payload: that holds other people's
 * addresses and the message text.
 */
public record Unmatched(String id, String source, Instant at, String reason, String kind, String messageId,
                        String email, String phone, String contactId) {
    public Unmatched {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
