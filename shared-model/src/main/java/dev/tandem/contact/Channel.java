package dev.tandem.contact;

import dev.tandem.validation.InvalidInputException;

/** The two channels of one conversation. */
public enum Channel {
    EMAIL("email"),
    SMS("sms");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Channel parse(String field, String value) {
        for (Channel c : values()) {
            if (c.wire.equals(value)) {
                return c;
            }
        }
        throw new InvalidInputException(field, field + " must be email or sms");
    }
}
