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

    /**
     * The channel a step sends on: SMS for the SMS steps, email for the others. A best-channel {@code message} chooses
     * its channel when decided; before that, this answers email.
     */
    public static dev.tandem.contact.Channel channelOf(String step) {
        return SMS.equals(step) || CLICK_NO_CONVERSION.equals(step) || SMS_OPT_IN.equals(step)
                ? dev.tandem.contact.Channel.SMS : dev.tandem.contact.Channel.EMAIL;
    }
}
