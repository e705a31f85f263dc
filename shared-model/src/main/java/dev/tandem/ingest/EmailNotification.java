package dev.tandem.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One SES notification, in either form (configuration-set event publishing or the older identity
 * notification), as the email-events function read it. {@code recipients} are the addresses the event is
 * about: bounced, complained, delivered or delayed recipients, else the mail's destination.
 */
public record EmailNotification(
        Kind kind,
        String messageId,
        Instant at,
        Map<String, String> tags,
        List<String> recipients,
        Map<String, Object> details,
        String identity) {

    public static final String TAG_CONTACT = "tandem-contact";
    public static final String TAG_CAMPAIGN = "tandem-campaign";
    public static final String TAG_STEP = "tandem-step";

    public EmailNotification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** The SES event types, by their {@code eventType} or {@code notificationType} names. */
    public enum Kind {
        SEND("Send"),
        DELIVERY("Delivery"),
        OPEN("Open"),
        CLICK("Click"),
        BOUNCE("Bounce"),
        COMPLAINT("Complaint"),
        REJECT("Reject"),
        RENDERING_FAILURE("Rendering Failure"),
        DELIVERY_DELAY("DeliveryDelay"),
        SUBSCRIPTION("Subscription");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Kind of(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k;
                }
            }
            return null;
        }
    }

    public String tag(String name) {
        return tags.get(name);
    }

    public String detail(String key) {
        Object v = details.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
