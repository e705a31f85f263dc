package dev.tandem.ingest;

import java.util.Locale;
import java.util.Set;

/** What an inbound SMS asks for, matched on the whole trimmed message, whatever its case (docs/events.md). */
public enum Keyword {
    STOP, START, HELP, NONE;

    /**
     * Every keyword of AWS End User Messaging's required opt-out list (ARRET, CANCEL, END, OPT-OUT, OPTOUT, QUIT,
     * REMOVE, STOP, TD, UNSUBSCRIBE), on which AWS opts the number out on its side too, and the carriers' usual others.
     */
    private static final Set<String> STOPS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
            "OPTOUT", "OPT OUT", "OPT-OUT", "REVOKE", "REMOVE", "ARRET", "TD");
    private static final Set<String> STARTS = Set.of("START", "UNSTOP", "YES");
    private static final Set<String> HELPS = Set.of("HELP", "INFO");

    public static Keyword of(String body) {
        if (body == null) {
            return NONE;
        }
        // Whitespace inside collapses, so "opt   out" and "OPT\tOUT" read as OPT OUT.
        String k = body.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (STOPS.contains(k)) {
            return STOP;
        }
        if (STARTS.contains(k)) {
            return START;
        }
        if (HELPS.contains(k)) {
            return HELP;
        }
        return NONE;
    }
}
