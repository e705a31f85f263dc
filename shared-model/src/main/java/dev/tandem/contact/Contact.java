package dev.tandem.contact;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Tandem keeps about a person: where to reach them, what they allowed, what the providers
 * told us, free attributes for personalisation, and the language tag its messages are written in ({@code locale},
 * null for the templates' own text). Immutable; the with-methods return changed copies.
 */
public record Contact(
        String id,
        String email,
        String phone,
        ZoneId zone,
        Map<Channel, Consent> consent,
        Map<Channel, ChannelState> states,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt,
        String locale) {

    /** A contact without a locale. */
    public Contact(String id, String email, String phone, ZoneId zone, Map<Channel, Consent> consent,
                   Map<Channel, ChannelState> states, Map<String, Object> attributes, Instant createdAt, Instant updatedAt) {
        this(id, email, phone, zone, consent, states, attributes, createdAt, updatedAt, null);
    }

    public Contact {
        Objects.requireNonNull(id, "id");
        zone = zone == null ? ZoneOffset.UTC : zone;
        consent = Collections.unmodifiableMap(copy(consent));
        states = Collections.unmodifiableMap(copy(states));
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    private static <V> EnumMap<Channel, V> copy(Map<Channel, V> source) {
        EnumMap<Channel, V> m = new EnumMap<>(Channel.class);
        if (source != null) {
            m.putAll(source);
        }
        return m;
    }

    /** The address for a channel, if the contact has one. */
    public Optional<String> address(Channel channel) {
        return Optional.ofNullable(channel == Channel.EMAIL ? email : phone);
    }

    public Optional<Consent> consentFor(Channel channel) {
        return Optional.ofNullable(consent.get(channel));
    }

    public ChannelState stateOf(Channel channel) {
        return states.getOrDefault(channel, ChannelState.REACHABLE);
    }

    public Contact withState(Channel channel, ChannelState state, Instant now) {
        EnumMap<Channel, ChannelState> s = copy(states);
        s.put(channel, state);
        return new Contact(id, email, phone, zone, consent, s, attributes, createdAt, now, locale);
    }

    public Contact withConsent(Channel channel, Consent c, Instant now) {
        EnumMap<Channel, Consent> m = copy(consent);
        m.put(channel, c);
        return new Contact(id, email, phone, zone, m, states, attributes, createdAt, now, locale);
    }
}
