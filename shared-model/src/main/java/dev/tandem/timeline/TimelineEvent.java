package dev.tandem.timeline;

import dev.tandem.contact.Channel;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened with a contact, on either channel. {@code type} is the wire name
 * ({@code email.open}, {@code custom.signup}); {@code data} holds what the type carries
 * (subject, text, link, userAgent, ip, machine, bounceType, value, reason...).
 */
public record TimelineEvent(
        String eventId,
        String contactId,
        String type,
        Instant at,
        String campaign,
        String step,
        String messageId,
        Map<String, Object> data) {

    public TimelineEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public EventType kind() {
        return EventType.of(type).orElseThrow(() -> new IllegalStateException("unknown event type " + type));
    }

    public boolean is(EventType t) {
        return EventType.of(type).orElse(null) == t;
    }

    public Optional<Channel> channel() {
        EventType t = EventType.of(type).orElse(null);
        return t == null ? Optional.empty() : t.channel();
    }

    public Optional<String> text(String key) {
        Object v = data.get(key);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    /**
     * An open or a click made by a machine (Apple Mail Privacy Protection, a chat app's link preview), recorded but
     * never counted as engagement.
     */
    public boolean machine() {
        return Boolean.TRUE.equals(data.get("machine"));
    }

    /** A sent message of a campaign, the unit the contact policy budgets. */
    /** A promotional message of a campaign, which the frequency budget counts; a transactional one is outside it. */
    public boolean isCampaignSend() {
        return (is(EventType.EMAIL_SENT) || is(EventType.SMS_SENT)) && campaign != null
                && !Boolean.TRUE.equals(data.get("transactional"));
    }

    /** An action a person took: a human open or a click of an email, a reply or a link click of an SMS. */
    public boolean isHumanEngagement() {
        return (is(EventType.EMAIL_OPEN) && !machine()) || is(EventType.EMAIL_CLICK)
                || (is(EventType.SMS_REPLY) && data.get("keyword") == null) || (is(EventType.SMS_CLICK) && !machine());
    }
}
