package dev.tandem.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Work an engagement leaves for the decider: a click that may need a nudge, a reply that needs an answer.
 * The decider decides whether the campaign has the trigger at all, and when it is due.
 */
public record TriggerWork(String trigger, String campaign, String occurrence, Instant dueAt, Map<String, String> data) {
    public static final String CLICK_NO_CONVERSION = "clickNoConversion";
    public static final String SMS_REPLY = "smsReply";

    public TriggerWork {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(occurrence, "occurrence");
        Objects.requireNonNull(dueAt, "dueAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
