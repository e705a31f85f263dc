package dev.tandem.email;

import dev.tandem.aws.ses.SesTags;
import dev.tandem.aws.sqs.Times;
import dev.tandem.ingest.EmailNotification;
import dev.tandem.ingest.EmailNotification.Kind;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an SES notification in either form: configuration-set event publishing ({@code eventType}, with
 * message tags) or the older identity notification ({@code notificationType}: Bounce, Complaint,
 * Delivery; no tags), which existing setups and the moto emulator produce.
 */
final class SesNotifications {
    private SesNotifications() {
    }

    /** What SES publishes when a topic is set up, not engagement: acknowledged and ignored. */
    private static final java.util.Set<String> SETUP_TYPES = java.util.Set.of("AmazonSnsSubscriptionSucceeded");

    /** SES's plain-text notice when an event destination is created on a topic ("Successfully validated SNS topic..."). */
    static boolean isSetupNotice(String text) {
        return text != null && text.strip().startsWith("Successfully validated SNS topic for Amazon SES");
    }

    /** The notification, or null for what SES publishes that is not engagement (a subscription confirmation). */
    static EmailNotification parse(Map<String, Object> m, String sourceId) {
        String typeName;
        String typeField;
        if (m.get("eventType") instanceof String t) {
            typeName = t;
            typeField = "eventType";
        } else if (m.get("notificationType") instanceof String t) {
            if (SETUP_TYPES.contains(t)) {
                return null;
            }
            typeName = t;
            typeField = "notificationType";
        } else {
            throw new InvalidInputException("eventType", "the message is neither an SES event (eventType) nor an SES notification (notificationType)");
        }
        Kind kind = Kind.of(typeName);
        if (kind == null) {
            throw new InvalidInputException(typeField, "unknown SES " + typeField + " " + typeName);
        }
        Map<String, Object> mail = object(m, "mail", "mail");
        String messageId = string(mail, "messageId", "mail.messageId", true);
        if (messageId.length() > 256) {
            // SES message ids are about 60 characters; a longer one is not SES's, and would not fit a key.
            throw new InvalidInputException("mail.messageId", "mail.messageId is longer than 256 characters");
        }
        Map<String, Object> detail = detailOf(m, kind);
        String detailName = detailName(kind);
        Instant at = detail.get("timestamp") != null
                ? Times.parse(detailName + ".timestamp", detail.get("timestamp"))
                : Times.parse("mail.timestamp", mail.get("timestamp"));

        Map<String, Object> details = new LinkedHashMap<>();
        List<String> recipients = new ArrayList<>();
        switch (kind) {
            case DELIVERY -> recipients.addAll(strings(detail.get("recipients"), detailName + ".recipients"));
            case BOUNCE -> {
                details.put("bounceType", detail.get("bounceType"));
                details.put("bounceSubType", detail.get("bounceSubType"));
                List<?> bounced = list(detail.get("bouncedRecipients"), "bounce.bouncedRecipients");
                for (Object o : bounced) {
                    Map<String, Object> r = object(o, "bounce.bouncedRecipients[]");
                    recipients.add(string(r, "emailAddress", "bounce.bouncedRecipients[].emailAddress", true));
                    if (r.get("diagnosticCode") != null && !details.containsKey("diagnosticCode")) {
                        details.put("diagnosticCode", r.get("diagnosticCode"));
                    }
                }
                if (!(details.get("bounceType") instanceof String)) {
                    throw new InvalidInputException("bounce.bounceType", "bounce.bounceType is required");
                }
            }
            case COMPLAINT -> {
                details.put("complaintFeedbackType", detail.get("complaintFeedbackType"));
                for (Object o : list(detail.get("complainedRecipients"), "complaint.complainedRecipients")) {
                    recipients.add(string(object(o, "complaint.complainedRecipients[]"), "emailAddress",
                            "complaint.complainedRecipients[].emailAddress", true));
                }
            }
            case DELIVERY_DELAY -> {
                details.put("delayType", detail.get("delayType"));
                Object delayed = detail.get("delayedRecipients");
                if (delayed != null) {
                    for (Object o : list(delayed, "deliveryDelay.delayedRecipients")) {
                        recipients.add(string(object(o, "deliveryDelay.delayedRecipients[]"), "emailAddress",
                                "deliveryDelay.delayedRecipients[].emailAddress", true));
                    }
                }
            }
            case OPEN -> {
                details.put("userAgent", detail.get("userAgent"));
                details.put("ipAddress", detail.get("ipAddress"));
            }
            case CLICK -> {
                details.put("userAgent", detail.get("userAgent"));
                details.put("ipAddress", detail.get("ipAddress"));
                details.put("link", string(detail, "link", "click.link", true));
            }
            case REJECT -> details.put("reason", detail.get("reason"));
            case RENDERING_FAILURE -> details.put("errorMessage", detail.get("errorMessage"));
            case SUBSCRIPTION -> {
                Object prefs = detail.get("newTopicPreferences");
                if (prefs instanceof Map<?, ?> p) {
                    details.put("unsubscribeAll", Boolean.TRUE.equals(p.get("unsubscribeAll")));
                }
            }
            case SEND -> {
                Object headers = mail.get("commonHeaders");
                if (headers instanceof Map<?, ?> h && h.get("subject") instanceof String subject) {
                    details.put("subject", subject);
                }
            }
            default -> {
            }
        }
        if (recipients.isEmpty() && mail.get("destination") != null) {
            recipients.addAll(strings(mail.get("destination"), "mail.destination"));
        }
        details.values().removeIf(v -> v == null);
        return new EmailNotification(kind, messageId, at, tags(mail.get("tags")), recipients, details, sourceId);
    }

    private static String detailName(Kind kind) {
        return switch (kind) {
            case RENDERING_FAILURE -> "failure";
            case DELIVERY_DELAY -> "deliveryDelay";
            default -> kind.wire().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static Map<String, Object> detailOf(Map<String, Object> m, Kind kind) {
        String name = detailName(kind);
        Object d = m.get(name);
        if (d == null) {
            if (kind == Kind.SEND || kind == Kind.REJECT || kind == Kind.RENDERING_FAILURE) {
                return Map.of();
            }
            throw new InvalidInputException(name, "an SES " + kind.wire() + " notification needs its " + name + " object");
        }
        return object(d, name);
    }

    /** SES publishes tags as lists of values: {@code "tandem-contact": ["c1"]}. */
    private static Map<String, String> tags(Object raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof List<?> l && !l.isEmpty()) {
                    out.put(String.valueOf(k), SesTags.decode(String.valueOf(l.get(0))));
                } else if (v instanceof String s) {
                    out.put(String.valueOf(k), SesTags.decode(s));
                }
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String field) {
        if (!(v instanceof Map<?, ?>)) {
            throw new InvalidInputException(field, field + " must be an object");
        }
        return (Map<String, Object>) v;
    }

    private static Map<String, Object> object(Map<String, Object> m, String key, String field) {
        return object(m.get(key), field);
    }

    private static List<?> list(Object v, String field) {
        if (!(v instanceof List<?> l)) {
            throw new InvalidInputException(field, field + " must be an array");
        }
        return l;
    }

    private static List<String> strings(Object v, String field) {
        List<String> out = new ArrayList<>();
        for (Object o : list(v, field)) {
            if (!(o instanceof String s)) {
                throw new InvalidInputException(field, field + " must hold addresses");
            }
            out.add(s);
        }
        return out;
    }

    private static String string(Map<String, Object> m, String key, String field, boolean required) {
        Object v = m.get(key);
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        if (required) {
            throw new InvalidInputException(field, field + " is required");
        }
        return null;
    }
}
