package dev.tandem.timeline;

import dev.tandem.contact.Channel;

import java.util.Optional;

/** The timeline event types (docs/events.md). {@code custom.*} events keep their own full name. */
public enum EventType {
    EMAIL_SENT("email.sent", Channel.EMAIL),
    EMAIL_DELIVERED("email.delivered", Channel.EMAIL),
    EMAIL_OPEN("email.open", Channel.EMAIL),
    EMAIL_CLICK("email.click", Channel.EMAIL),
    EMAIL_BOUNCE("email.bounce", Channel.EMAIL),
    EMAIL_COMPLAINT("email.complaint", Channel.EMAIL),
    EMAIL_DELIVERY_DELAY("email.delivery_delay", Channel.EMAIL),
    EMAIL_REJECT("email.reject", Channel.EMAIL),
    EMAIL_UNSUBSCRIBE("email.unsubscribe", Channel.EMAIL),
    SMS_SENT("sms.sent", Channel.SMS),
    SMS_DELIVERED("sms.delivered", Channel.SMS),
    SMS_FAILED("sms.failed", Channel.SMS),
    SMS_REPLY("sms.reply", Channel.SMS),
    SMS_CLICK("sms.click", Channel.SMS),
    SMS_OPT_OUT("sms.opt_out", Channel.SMS),
    SMS_OPT_IN("sms.opt_in", Channel.SMS),
    CONVERSION("conversion", null),
    CUSTOM("custom.*", null);

    public static final String CUSTOM_PREFIX = "custom.";

    private final String wire;
    private final Channel channel;

    EventType(String wire, Channel channel) {
        this.wire = wire;
        this.channel = channel;
    }

    public String wire() {
        return wire;
    }

    /** The channel the event belongs to; empty for conversions and custom events. */
    public Optional<Channel> channel() {
        return Optional.ofNullable(channel);
    }

    private static final java.util.Map<String, Optional<EventType>> BY_WIRE = new java.util.HashMap<>();

    static {
        for (EventType t : values()) {
            if (t != CUSTOM) {
                BY_WIRE.put(t.wire, Optional.of(t));
            }
        }
    }

    /** The type a wire name stands for: {@code custom.signup} is {@link #CUSTOM}. */
    public static Optional<EventType> of(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        Optional<EventType> known = BY_WIRE.get(wire);
        if (known != null) {
            return known;
        }
        if (wire.startsWith(CUSTOM_PREFIX) && wire.length() > CUSTOM_PREFIX.length()) {
            return Optional.of(CUSTOM);
        }
        return Optional.empty();
    }
}
