package dev.tandem.contact;

import dev.tandem.validation.InvalidInputException;

public enum ConsentStatus {
    SUBSCRIBED("subscribed"),
    UNSUBSCRIBED("unsubscribed"),
    /** SMS double opt-in: asked, not yet confirmed. Only the confirmation request is sent (docs/consent.md). */
    PENDING("pending");

    private final String wire;

    ConsentStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static ConsentStatus parse(String field, String value) {
        for (ConsentStatus s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw new InvalidInputException(field, field + " must be subscribed, unsubscribed or pending");
    }
}
