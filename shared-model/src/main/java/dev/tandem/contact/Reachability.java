package dev.tandem.contact;

/** What the providers told us about a channel of a contact. */
public enum Reachability {
    REACHABLE("reachable"),
    /** Email after a permanent bounce or a complaint. */
    SUPPRESSED("suppressed"),
    /** SMS after a STOP keyword, until START. */
    OPTED_OUT("opted_out");

    private final String wire;

    Reachability(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Reachability fromWire(String value) {
        for (Reachability r : values()) {
            if (r.wire.equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reachability " + value);
    }
}
