package dev.tandem.campaign;

import dev.tandem.validation.InvalidInputException;

/** The coordination patterns (docs/campaigns.md). */
public enum Playbook {
    EMAIL_FIRST("email-first"),
    SMS_FIRST("sms-first"),
    BEST_CHANNEL("best-channel");

    private final String wire;

    Playbook(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Playbook parse(String field, Object value) {
        for (Playbook p : values()) {
            if (p.wire.equals(value)) {
                return p;
            }
        }
        throw new InvalidInputException(field, "unknown playbook " + value + "; use email-first, sms-first or best-channel");
    }
}
