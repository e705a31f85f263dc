package dev.tandem.campaign;

/** The step names a run goes through; they travel as the SES tag {@code tandem-step}. */
public final class Steps {
    public static final String EMAIL = "email";
    public static final String SMS = "sms";
    public static final String MESSAGE = "message";
    public static final String CLICK_NO_CONVERSION = "clickNoConversion";
    public static final String SMS_REPLY = "smsReply";
    /** The one confirmation request of an SMS double opt-in (docs/consent.md). */
    public static final String SMS_OPT_IN = "smsOptIn";

    private Steps() {
    }
}
