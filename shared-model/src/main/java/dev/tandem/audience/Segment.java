package dev.tandem.audience;

import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named audience: the contacts its condition holds for, evaluated when it is counted, listed or launched to
 * (docs/segments.md). The definition is kept as it was written, beside its parsed form.
 */
public record Segment(String id, Map<String, Object> where, Condition condition) {
    public Segment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(condition, "condition");
    }

    public boolean matches(Member member, Instant now) {
        return condition.test(member, now);
    }

    /** True or false from what is known of the member; null when its engagement summary is needed. */
    public Boolean decide(Member member, Instant now) {
        return condition.decide(member, now);
    }

    public boolean needsEngagement() {
        return condition.needsEngagement();
    }

    /** Reads a {@code PUT /segments/{id}} body, {@code {"where": CONDITION}}. */
    @SuppressWarnings("unchecked")
    public static Segment from(String id, Object body) {
        Checks.id("id", id);
        if (!(body instanceof Map<?, ?> m)) {
            throw new InvalidInputException("", "a segment must be an object such as {\"where\": {...}}");
        }
        for (Object k : m.keySet()) {
            if (!"where".equals(k)) {
                throw new InvalidInputException(String.valueOf(k), "unknown segment field " + k + " (a segment has where)");
            }
        }
        if (m.get("where") == null) {
            throw new InvalidInputException("where", "where is required");
        }
        Condition c = Condition.parse(m.get("where"), "where");
        return new Segment(id, (Map<String, Object>) m.get("where"), c);
    }

    /** A stored definition: it was checked when written. */
    public static Segment restore(String id, Map<String, Object> where) {
        return new Segment(id, where, Condition.parse(where, "where"));
    }
}
