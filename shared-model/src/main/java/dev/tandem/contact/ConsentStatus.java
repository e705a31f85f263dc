package dev.tandem.contact;

import dev.tandem.validation.InvalidInputException;

public enum ConsentStatus {
    SUBSCRIBED("subscribed"),
    UNSUBSCRIBED("unsubscribed");

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
        throw new InvalidInputException(field, field + " must be subscribed or unsubscribed");
    }
}
