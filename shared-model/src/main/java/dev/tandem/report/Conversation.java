package dev.tandem.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One contact's two-channel conversation over a window, for the report of a simulation: what was decided and what
 * happened, each on the lane of its channel, placed and labelled in the contact's own time.
 */
public record Conversation(String contact, String name, ZoneId zone, Instant from, Instant to, List<Mark> marks) {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE dd MMM HH:mm", Locale.ENGLISH);

    public Conversation {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(zone, "zone");
        marks = List.copyOf(marks);
    }

    /** The lanes: one per channel, and marks with no channel (a conversion) across both. */
    public static final String EMAIL = "email";
    public static final String SMS = "sms";
    public static final String BOTH = "both";

    /**
     * A decision ({@code sent}, {@code deferred}, {@code skipped}) or an event ({@code event} for the contact's own,
     * {@code auto} for an automatic answer) at one moment: {@code label} says what, {@code detail} the reason and the
     * message's subject or text.
     */
    public record Mark(Instant at, String lane, String kind, String label, String detail) {
        public Mark {
            Objects.requireNonNull(at, "at");
            if (!List.of(EMAIL, SMS, BOTH).contains(lane)) {
                throw new IllegalArgumentException("a mark's lane is email, sms or both, not " + lane);
            }
        }
    }

    /** A moment as the contact's wall clock shows it: {@code Tue 01 Dec 11:00}. */
    public String local(Instant at) {
        return WHEN.format(at.atZone(zone));
    }

    /** The contact's wall-clock time as seconds from 1970-01-01T00:00 of that clock: what the time axis is linear in. */
    long wall(Instant at) {
        return at.atZone(zone).toLocalDateTime().toEpochSecond(ZoneOffset.UTC);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contact", contact);
        out.put("name", name == null ? contact : name);
        out.put("zone", zone.getId());
        out.put("from", wall(from));
        out.put("to", wall(to));
        out.put("marks", marks.stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("at", m.at().toString());
            o.put("local", local(m.at()));
            o.put("wall", wall(m.at()));
            o.put("lane", m.lane());
            o.put("kind", m.kind());
            o.put("label", m.label());
            o.put("detail", m.detail());
            return o;
        }).toList());
        return out;
    }
}
