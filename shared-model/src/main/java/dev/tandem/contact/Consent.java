package dev.tandem.contact;

import java.time.Instant;
import java.util.Objects;

/** Permission to message a contact on one channel: the status, who set it, and when. */
public record Consent(ConsentStatus status, String source, Instant at) {
    public Consent {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
    }

    public boolean subscribed() {
        return status == ConsentStatus.SUBSCRIBED;
    }

    public static Consent subscribed(String source, Instant at) {
        return new Consent(ConsentStatus.SUBSCRIBED, source, at);
    }

    public static Consent unsubscribed(String source, Instant at) {
        return new Consent(ConsentStatus.UNSUBSCRIBED, source, at);
    }
}
