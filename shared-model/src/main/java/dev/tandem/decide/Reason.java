package dev.tandem.decide;

import dev.tandem.timeline.EventType;

/** Why a message waits or does not go: the reasons docs/campaigns.md lists. */
public enum Reason {
    QUIET_HOURS("quiet-hours"),
    CAP_24H("cap-24h"),
    CAP_7D("cap-7d"),
    MIN_GAP("min-gap"),
    NO_CONSENT("no-consent"),
    /** SMS double opt-in asked and not yet confirmed: nothing but the confirmation request goes. */
    PENDING_CONSENT("pending-consent"),
    OPTED_OUT("opted-out"),
    UNREACHABLE("unreachable"),
    SUPPRESSED("suppressed"),
    ENGAGED("engaged"),
    REPLIED("replied"),
    CONVERTED("converted"),
    /** The campaign or a template cannot make this message (a template that throws, a message too large to keep). */
    INVALID_DEFINITION("invalid-definition"),
    /** The provider refused this one recipient for good (an invalid number, a rejected address). */
    PROVIDER_REJECTED("provider-rejected"),
    /** The contact is in the campaign's holdout: enrolled and counted, sent nothing (docs/experiments.md). */
    HOLDOUT("holdout");

    private final String wire;

    Reason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The reason a run ends when an {@code exitOn} event arrives. */
    public static Reason forExit(String eventType) {
        EventType t = EventType.of(eventType).orElse(EventType.CONVERSION);
        return switch (t) {
            case SMS_REPLY -> REPLIED;
            case EMAIL_OPEN, EMAIL_CLICK, SMS_CLICK -> ENGAGED;
            case EMAIL_UNSUBSCRIBE, SMS_OPT_OUT -> OPTED_OUT;
            case EMAIL_BOUNCE, EMAIL_COMPLAINT, EMAIL_REJECT, SMS_FAILED -> SUPPRESSED;
            default -> CONVERTED;
        };
    }
}
