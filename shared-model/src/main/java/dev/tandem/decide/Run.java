package dev.tandem.decide;

import dev.tandem.contact.Channel;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A contact's run of a campaign: started by a launch or by a trigger (a click, a reply), at a step, due at a
 * time. {@code data} carries what later steps need of earlier ones: the email's message id, subject and
 * web-version code, the clicked link, the reply's event id. {@code version} orders concurrent writers;
 * a new run not yet stored has version -1.
 */
public record Run(
        String contactId,
        String campaign,
        String occurrence,
        Kind kind,
        String step,
        Instant startedAt,
        Instant dueAt,
        boolean armed,
        Map<String, String> data,
        long version,
        Claim claim) {

    public enum Kind { LAUNCH, TRIGGER }

    /**
     * A send in progress: who claimed it, when, the step and channel it sends on, how many link codes (the first ones its
     * token seeds) were written with it,
     * and where the run goes once the message is out ({@code next}, a {@link Plan.Continue} or {@link Plan.Finish};
     * null on claims written before it was kept). The decider claims; the sender that takes the claim's job sends.
     * A claim whose job never began sending is given back after its lease; one that began and left no record is
     * marked unknown, never resent.
     */
    public record Claim(String token, Instant at, String step, Channel channel, int links, Plan.Next next) {
        public Claim {
            Objects.requireNonNull(token, "token");
        }
    }

    public static final String EMAIL_MESSAGE_ID = "emailMessageId";
    public static final String EMAIL_SUBJECT = "emailSubject";
    public static final String VIEW_CODE = "viewCode";
    public static final String SMS_MESSAGE_ID = "smsMessageId";
    public static final String SMS_SENT_AT = "smsSentAt";
    public static final String LINK = "link";
    public static final String TRIGGER_EVENT = "triggerEvent";
    /** The time of the pending consent an SMS double opt-in's run asks to confirm. */
    public static final String REQUESTED_AT = "requestedAt";

    public Run {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(occurrence, "occurrence");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static Run launched(String contactId, String campaign, String launchId, String firstStep, Instant at) {
        return new Run(contactId, campaign, launchId, Kind.LAUNCH, firstStep, at, at, true, Map.of(), -1, null);
    }

    public boolean isNew() {
        return version < 0;
    }

    public String get(String key) {
        return data.get(key);
    }

    /** The run as it was before its send was claimed: what the sender decides again from. */
    public Run unclaimed() {
        return claim == null ? this : new Run(contactId, campaign, occurrence, kind, step, startedAt, dueAt, armed, data, version, null);
    }

    public Run at(String nextStep, Instant nextDue, Map<String, String> more) {
        Map<String, String> d = new LinkedHashMap<>(data);
        d.putAll(more);
        return new Run(contactId, campaign, occurrence, kind, nextStep, startedAt, nextDue, armed, d, version, claim);
    }
}
