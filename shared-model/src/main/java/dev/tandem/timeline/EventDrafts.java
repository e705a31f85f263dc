package dev.tandem.timeline;

import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the events upstream systems post ({@code POST /events}): one event object, an array, or
 * {@code {"events":[...]}}, up to {@value #MAX_BATCH}. Only conversions and {@code custom.*} come this way;
 * channel events come from the providers.
 */
public final class EventDrafts {
    public static final int MAX_BATCH = 25;
    public static final int MAX_DATA_BYTES = 4 * 1024;
    /** How far ahead of the clock an event's time may be: clocks differ a little, never by days. */
    public static final java.time.Duration MAX_AHEAD = java.time.Duration.ofMinutes(5);
    public static final int MAX_VALUE_LENGTH = 1024;
    private static final Set<String> FIELDS = Set.of("eventId", "contactId", "type", "at", "campaign", "step", "value", "data");

    private EventDrafts() {
    }

    /**
     * An event as posted, with a fingerprint of exactly what was posted for it (the object as sent, so an absent
     * {@code at} that defaults to the clock does not count): an event id seen before with another fingerprint is a
     * different event under a reused id, refused rather than taken for a duplicate.
     */
    public record Posted(TimelineEvent event, String fingerprint) {
    }

    public static List<TimelineEvent> read(Object body, Instant now) {
        return posted(body, now).stream().map(Posted::event).toList();
    }

    public static List<Posted> posted(Object body, Instant now) {
        List<?> items;
        String prefix;
        if (body instanceof List<?> list) {
            items = list;
            prefix = "";
        } else if (body instanceof Map<?, ?> map && map.containsKey("events") && !map.containsKey("eventId")) {
            if (map.size() != 1) {
                throw new InvalidInputException("", "a batch body holds only \"events\"");
            }
            if (!(map.get("events") instanceof List<?> list)) {
                throw new InvalidInputException("events", "events must be an array");
            }
            items = list;
            prefix = "events";
        } else if (body instanceof Map<?, ?>) {
            return List.of(new Posted(one(body, now), fingerprint(body)));
        } else {
            throw new InvalidInputException("", "the body must be an event object or an array of events");
        }
        if (items.isEmpty()) {
            throw new InvalidInputException(prefix, "a batch needs at least one event");
        }
        if (items.size() > MAX_BATCH) {
            throw new InvalidInputException(prefix, "a batch holds at most " + MAX_BATCH + " events");
        }
        List<Posted> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                out.add(new Posted(one(items.get(i), now), fingerprint(items.get(i))));
            } catch (InvalidInputException e) {
                throw e.under(prefix + "[" + i + "]");
            }
        }
        return out;
    }

    /** SHA-256 of a canonical form of a JSON value: object members by name, each value tagged with its kind and length. */
    static String fingerprint(Object value) {
        StringBuilder b = new StringBuilder();
        canonical(value, b);
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void canonical(Object v, StringBuilder b) {
        if (v instanceof Map<?, ?> m) {
            b.append('{');
            new java.util.TreeMap<>(m.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> String.valueOf(e.getKey()), Map.Entry::getValue))).forEach((k, x) -> {
                        canonical(k, b);
                        canonical(x, b);
                    });
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            l.forEach(x -> canonical(x, b));
            b.append(']');
        } else if (v instanceof Number n) {
            b.append('n').append(new java.math.BigDecimal(n.toString()).stripTrailingZeros().toPlainString()).append(';');
        } else if (v == null) {
            b.append('z');
        } else {
            String s = String.valueOf(v);
            b.append(v instanceof Boolean ? 'b' : 's').append(s.length()).append(':').append(s);
        }
    }

    static TimelineEvent one(Object raw, Instant now) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw new InvalidInputException("", "an event must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!FIELDS.contains(String.valueOf(key))) {
                throw new InvalidInputException(String.valueOf(key), "unknown field " + key);
            }
        }
        String eventId = Checks.id("eventId", Checks.string(map, "eventId"));
        String contactId = Checks.id("contactId", Checks.string(map, "contactId"));
        String type = Checks.required("type", Checks.string(map, "type"));
        EventType kind = EventType.of(type).orElse(null);
        if (kind != EventType.CONVERSION && kind != EventType.CUSTOM) {
            throw new InvalidInputException("type", "type must be conversion or custom.<name>");
        }
        if (kind == EventType.CUSTOM && !type.matches("custom\\.[A-Za-z0-9_.-]{1,64}")) {
            throw new InvalidInputException("type", "a custom type is custom. and up to 64 letters, digits, _ . -");
        }
        String at = Checks.string(map, "at");
        Instant when = at == null ? now : Checks.instant("at", at);
        // An event dated ahead would count as if it had happened (a conversion dated 9999 ends every later campaign).
        if (when.isAfter(now.plus(MAX_AHEAD))) {
            throw new InvalidInputException("at", "at is in the future: at most " + MAX_AHEAD.toMinutes() + " minutes ahead of now is taken");
        }
        if (when.isBefore(Instant.EPOCH)) {
            throw new InvalidInputException("at", "at must not be before 1970");
        }
        String campaign = Checks.string(map, "campaign");
        String step = Checks.string(map, "step");
        Map<String, Object> data = new LinkedHashMap<>();
        Object value = map.get("value");
        if (value != null) {
            if (!(value instanceof Number) && !(value instanceof String)) {
                throw new InvalidInputException("value", "value must be a number or a string");
            }
            if (value instanceof String s && s.length() > MAX_VALUE_LENGTH) {
                throw new InvalidInputException("value", "value must be at most " + MAX_VALUE_LENGTH + " characters");
            }
            data.put("value", value);
        }
        Object extra = map.get("data");
        if (extra != null) {
            if (!(extra instanceof Map<?, ?> m)) {
                throw new InvalidInputException("data", "data must be an object");
            }
            if (sizeOf(m) > MAX_DATA_BYTES) {
                throw new InvalidInputException("data", "data must be at most " + MAX_DATA_BYTES + " bytes");
            }
            data.put("data", m);
        }
        return new TimelineEvent(eventId, contactId, type, when,
                campaign == null ? null : Checks.id("campaign", campaign),
                step == null ? null : Checks.id("step", step),
                null, data);
    }

    private static int sizeOf(Object v) {
        return String.valueOf(v).length() * 3;
    }
}
