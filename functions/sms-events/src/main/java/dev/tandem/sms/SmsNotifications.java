package dev.tandem.sms;

import dev.tandem.aws.sqs.Times;
import dev.tandem.ingest.SmsInbound;
import dev.tandem.ingest.SmsStatus;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.Map;

/**
 * Reads what the SMS topic carries: an inbound message (AWS End User Messaging two-way payload), an End User
 * Messaging delivery event ({@code TEXT_DELIVERED}...), or an SNS delivery-status log line that a user
 * forwards from CloudWatch Logs ({@code notification}, {@code delivery}, {@code status}).
 */
final class SmsNotifications {
    private SmsNotifications() {
    }

    /**
     * One of {@link SmsInbound} or {@link SmsStatus}, or null for what a shared topic carries that is not SMS (End User
     * Messaging's MMS, voice, RCS and registration events), acknowledged and ignored.
     */
    static Object parse(Map<String, Object> m, Instant snsTimestamp) {
        if (m.containsKey("inboundMessageId") || m.containsKey("originationNumber")) {
            return new SmsInbound(
                    required(m, "inboundMessageId"),
                    required(m, "originationNumber"),
                    optional(m, "destinationNumber"),
                    optional(m, "messageKeyword"),
                    m.get("messageBody") == null ? "" : string(m, "messageBody"),
                    snsTimestamp);
        }
        if (m.get("eventType") instanceof String type && type.startsWith("TEXT_")) {
            Object isFinal = m.get("isFinal");
            return new SmsStatus(
                    required(m, "messageId"),
                    type,
                    !(isFinal instanceof Boolean b) || b,
                    m.get("eventTimestamp") == null ? snsTimestamp : Times.parse("eventTimestamp", m.get("eventTimestamp")),
                    optional(m, "messageStatusDescription"));
        }
        if (m.get("eventType") instanceof String type && !type.isBlank() && m.containsKey("messageId")) {
            return null;
        }
        if (m.get("notification") instanceof Map<?, ?> n && m.get("status") instanceof String status) {
            Object id = n.get("messageId");
            if (!(id instanceof String messageId) || messageId.isBlank()) {
                throw new InvalidInputException("notification.messageId", "notification.messageId is required");
            }
            if (messageId.length() > MAX_FIELD) {
                throw new InvalidInputException("notification.messageId", "notification.messageId is longer than " + MAX_FIELD + " characters");
            }
            Object delivery = m.get("delivery");
            String response = delivery instanceof Map<?, ?> d && d.get("providerResponse") instanceof String r ? r : null;
            Instant at = n.get("timestamp") == null ? snsTimestamp : Times.parse("notification.timestamp", n.get("timestamp"));
            return new SmsStatus(messageId, status, true, at, response);
        }
        throw new InvalidInputException("", "the message is neither an inbound SMS (originationNumber, inboundMessageId) "
                + "nor an SMS delivery status (eventType TEXT_*, messageId)");
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new InvalidInputException(key, key + " must be a string");
        }
        return s;
    }

    /** Provider ids and numbers are short; one longer than this is not AWS's, and would not fit a key. */
    static final int MAX_FIELD = 256;

    private static String required(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new InvalidInputException(key, key + " is required");
        }
        if (s.length() > MAX_FIELD) {
            throw new InvalidInputException(key, key + " is longer than " + MAX_FIELD + " characters");
        }
        return s.trim();
    }

    private static String optional(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s && !s.isBlank() ? s : null;
    }
}
