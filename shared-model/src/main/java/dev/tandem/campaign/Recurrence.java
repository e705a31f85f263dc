package dev.tandem.campaign;

import dev.tandem.decide.Launch;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A recurring campaign's rhythm (docs/segments.md): every {@code every}, at the local time {@code at} in the contact's
 * zone or a fixed one, until {@code until}. At each occurrence the launch's audience is evaluated again; a contact
 * enters once ({@code reentry} absent or {@code "once"}) or again once {@code reentry} has passed since its last entry.
 */
public record Recurrence(Duration every, LocalTime at, String zone, Instant until, Duration reentry) {
    public static final Duration SHORTEST = Duration.ofHours(1);
    private static final Set<String> FIELDS = Set.of("every", "at", "timezone", "until", "reentry");

    public Recurrence {
        Objects.requireNonNull(every, "every");
    }

    public boolean contactZone() {
        return Launch.CONTACT_ZONE.equals(zone);
    }

    /** The first occurrence at or after {@code start}, as a launch's {@code at} and local time. */
    public Occurrence first(Instant start) {
        if (at == null) {
            return new Occurrence(start, null);
        }
        ZoneId z = scheduleZone();
        LocalDateTime candidate = LocalDateTime.ofInstant(start, z).toLocalDate().atTime(at);
        if (QuietHours.firstInstantOf(candidate, z).isBefore(start)) {
            candidate = candidate.plusDays(1);
        }
        return new Occurrence(QuietHours.firstInstantOf(candidate, z), candidate);
    }

    /**
     * The occurrence after {@code o}, or null past {@code until}. An occurrence at another local time than {@code at} (the
     * campaign's time changed since it was planned) is followed by the first occurrence at {@code at}.
     */
    public Occurrence next(Occurrence o) {
        Occurrence n;
        if (at != null && (o.local() == null || !o.local().toLocalTime().equals(at))) {
            n = first(o.at().plusSeconds(1));
        } else {
            n = o.local() == null ? new Occurrence(o.at().plus(every), null)
                    : new Occurrence(QuietHours.firstInstantOf(o.local().plus(every), scheduleZone()), o.local().plus(every));
        }
        return until != null && n.at().isAfter(until) ? null : n;
    }

    /** The zone occurrences are reckoned in: the fixed one, or the earliest on Earth when each contact's own counts. */
    public ZoneId scheduleZone() {
        if (zone == null) {
            return java.time.ZoneOffset.UTC;
        }
        return contactZone() ? Launch.EARLIEST : ZoneId.of(zone);
    }

    /** One occurrence: its instant (the earliest, for a contact-zone time) and its local time when {@code at} is set. */
    public record Occurrence(Instant at, LocalDateTime local) {
    }

    public static Recurrence parse(Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new InvalidInputException("recurring", "recurring must be an object such as {\"every\": \"P1D\", \"at\": \"09:00\"}");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException("recurring." + k, "unknown recurring field " + k + " (every, at, timezone, until, reentry)");
            }
        }
        Duration every = Checks.duration("recurring.every", Checks.string(m, "every", "recurring.every"));
        if (every.compareTo(SHORTEST) < 0) {
            throw new InvalidInputException("recurring.every", "recurring.every must be at least PT1H");
        }
        if (every.toSecondsPart() != 0 || every.toNanosPart() != 0) {
            throw new InvalidInputException("recurring.every", "recurring.every must be whole minutes");
        }
        String atText = Checks.string(m, "at", "recurring.at");
        LocalTime at = atText == null ? null : Checks.localTime("recurring.at", atText);
        String zone = Checks.string(m, "timezone", "recurring.timezone");
        if (zone != null && !Launch.CONTACT_ZONE.equals(zone)) {
            zone = Checks.zone("recurring.timezone", zone).getId();
        }
        if (zone != null && at == null) {
            throw new InvalidInputException("recurring.timezone", "recurring.timezone needs a local time in recurring.at");
        }
        String untilText = Checks.string(m, "until", "recurring.until");
        Instant until = untilText == null ? null : Checks.instant("recurring.until", untilText);
        Object re = m.get("reentry");
        Duration reentry = null;
        if (re != null && !"once".equals(re)) {
            if (!(re instanceof String s)) {
                throw new InvalidInputException("recurring.reentry", "recurring.reentry is \"once\" or a duration such as P7D");
            }
            reentry = Checks.duration("recurring.reentry", s);
            if (reentry.isZero()) {
                throw new InvalidInputException("recurring.reentry", "recurring.reentry must be longer than zero");
            }
        }
        return new Recurrence(every, at, zone, until, reentry);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("every", every.toMinutes() % (24 * 60) == 0 ? "P" + every.toDays() + "D" : every.toString());
        if (at != null) {
            m.put("at", at.toString());
        }
        if (zone != null) {
            m.put("timezone", zone);
        }
        if (until != null) {
            m.put("until", until.toString());
        }
        m.put("reentry", reentry == null ? "once" : reentry.toString());
        return m;
    }
}
