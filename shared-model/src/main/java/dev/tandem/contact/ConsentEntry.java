package dev.tandem.contact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a contact's consent history: a channel's consent given, withdrawn or asked for, or the channel closed by
 * a provider (a permanent bounce), with its source, time and evidence. The history is kept as long as the contact is,
 * beyond the timeline's retention, and erased with it.
 */
public record ConsentEntry(Channel channel, String status, String source, Instant at, Map<String, String> evidence) {
    public ConsentEntry {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        evidence = evidence == null || evidence.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public static ConsentEntry of(Channel channel, Consent c) {
        return new ConsentEntry(channel, c.status().wire(), c.source(), c.at(), c.evidence());
    }

    /** The entries a save of {@code next} over {@code previous} (null when creating) makes: one per channel whose consent changed. */
    public static List<ConsentEntry> between(Contact previous, Contact next) {
        List<ConsentEntry> out = new ArrayList<>(2);
        next.consent().forEach((channel, c) -> {
            Consent before = previous == null ? null : previous.consent().get(channel);
            if (!c.equals(before)) {
                out.add(of(channel, c));
            }
        });
        return out;
    }

    /** A key for the entry, the same each time it is made: a repeated write of it overwrites itself. */
    public String key() {
        return channel.wire() + "#" + status + "#" + source;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", channel.wire());
        m.put("status", status);
        m.put("source", source);
        m.put("at", at.toString());
        if (!evidence.isEmpty()) {
            m.put("evidence", evidence);
        }
        return m;
    }
}
