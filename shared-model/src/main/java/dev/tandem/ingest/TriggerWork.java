package dev.tandem.ingest;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Consent;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Run;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Work an engagement leaves for the decider: a click that may need a nudge, a reply that needs an answer.
 * The decider decides whether the campaign has the trigger at all, and when it is due.
 */
public record TriggerWork(String trigger, String campaign, String occurrence, Instant dueAt, Map<String, String> data) {
    public static final String CLICK_NO_CONVERSION = "clickNoConversion";
    public static final String SMS_REPLY = "smsReply";

    public static final String SMS_OPT_IN = Steps.SMS_OPT_IN;

    /**
     * The run a save starts when it makes a number's SMS consent {@code pending}: one confirmation request, due at
     * once, named by the save that made it, so that no later save can write over it; saving the same request again
     * (the same pending consent) starts nothing more.
     */
    public static Optional<TriggerWork> smsOptIn(Contact previous, Contact next) {
        Consent now = next.consent().get(Channel.SMS);
        Consent before = previous == null ? null : previous.consent().get(Channel.SMS);
        if (now == null || !now.pending() || now.equals(before)) {
            return Optional.empty();
        }
        return Optional.of(new TriggerWork(SMS_OPT_IN, Campaign.SMS_OPT_IN, "opt-in-" + next.updatedAt().toEpochMilli(),
                next.updatedAt(), Map.of(Run.REQUESTED_AT, now.at().toString())));
    }

    public TriggerWork {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(occurrence, "occurrence");
        Objects.requireNonNull(dueAt, "dueAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
