package dev.tandem.campaign;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Objects;

/**
 * Hours in the contact's own zone when a channel stays silent, such as 21:00 to 08:00. A window whose
 * start is after its end runs over midnight. Right across DST changes: the end of a window that falls in
 * a spring-forward gap is the moment the gap ends.
 */
public record QuietHours(LocalTime from, LocalTime to) {
    public QuietHours {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    public boolean contains(Instant t, ZoneId zone) {
        if (from.equals(to)) {
            return false;
        }
        LocalTime local = t.atZone(zone).toLocalTime();
        if (from.isBefore(to)) {
            return !local.isBefore(from) && local.isBefore(to);
        }
        return !local.isBefore(from) || local.isBefore(to);
    }

    /** The first instant at or after {@code t} outside the window. */
    public Instant nextAllowed(Instant t, ZoneId zone) {
        if (!contains(t, zone)) {
            return t;
        }
        ZonedDateTime local = t.atZone(zone);
        LocalDate day = local.toLocalDate();
        // Inside the window: it ends at the next "to" on the local clock.
        LocalDate endDay = local.toLocalTime().isBefore(to) ? day : day.plusDays(1);
        return firstInstantOf(LocalDateTime.of(endDay, to), zone);
    }

    /** The instant a local time reads on the zone's clock; in a gap, the instant the gap ends. */
    public static Instant firstInstantOf(LocalDateTime local, ZoneId zone) {
        var rules = zone.getRules();
        var offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return gap.getInstant();
        }
        return local.atOffset(offsets.get(0)).toInstant();
    }
}
