package dev.tandem.experiment;

import dev.tandem.timeline.EventType;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What converts a contact of a campaign (docs/experiments.md): a {@code conversion} or a {@code custom.*} event within
 * {@code within} after the contact's first message of the campaign (after enrolment for the holdout). A contact
 * converts once.
 */
public record Goal(String event, Duration within) {
    public static final Duration DEFAULT_WITHIN = Duration.ofDays(7);

    public static Goal parse(String field, Object raw) {
        Map<?, ?> m = Checks.object(field, raw, "goal", java.util.List.of("event", "within"));
        Object e = m.get("event");
        if (!(e instanceof String event) || !(event.equals(EventType.CONVERSION.wire()) || event.matches("custom\\.[A-Za-z0-9_.-]{1,64}"))) {
            throw new InvalidInputException(field + ".event", field + ".event must be conversion or custom.NAME");
        }
        Duration within = m.get("within") == null ? DEFAULT_WITHIN : Checks.duration(field + ".within", String.valueOf(m.get("within")));
        if (within.isZero() || within.isNegative() || within.compareTo(Duration.ofDays(90)) > 0) {
            throw new InvalidInputException(field + ".within", field + ".within must be above zero and at most P90D");
        }
        return new Goal(event, within);
    }

    /** Whether an event at {@code at} falls in the window opened at {@code from} (both ends included). */
    public boolean inWindow(Instant from, Instant at) {
        return from != null && !at.isBefore(from) && !at.isAfter(from.plus(within));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        // P2D reads as written, not as Duration's PT48H.
        m.put("within", within.toSeconds() % 86_400 == 0 ? "P" + within.toDays() + "D" : within.toString());
        return m;
    }
}
