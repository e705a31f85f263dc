package dev.tandem.aws.sqs;

import dev.tandem.aws.Json;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.Map;

/**
 * What an SQS record from an SNS subscription carries: the SNS envelope ({@code Type}, {@code MessageId},
 * {@code Timestamp}, {@code Message}) or, with raw message delivery, the message itself.
 *
 * @param message the published message, decoded; null when it is not a JSON object (see {@link #json})
 * @param text    the published message as sent
 * @param id      the SNS message id, or the SQS message id under raw delivery
 * @param at      when SNS accepted it, or when SQS did under raw delivery
 */
public record SnsMessage(Map<String, Object> message, String text, String id, Instant at, boolean notification) {

    /** The decoded message; a message that is not a JSON object is malformed, named as such. */
    public Map<String, Object> json() {
        if (message == null) {
            throw new InvalidInputException("Message", "the SNS Message is not a JSON object");
        }
        return message;
    }

    public static SnsMessage from(String body, String sqsMessageId, Instant sqsSentAt) {
        Map<String, Object> outer = Json.object(Json.read(body, "body"), "body");
        Object type = outer.get("Type");
        if (type != null && outer.containsKey("Message")) {
            if (!"Notification".equals(type)) {
                return new SnsMessage(Map.of(), body, String.valueOf(outer.get("MessageId")), sqsSentAt, false);
            }
            Object text = outer.get("Message");
            if (!(text instanceof String s)) {
                throw new InvalidInputException("Message", "the SNS Message must be a string");
            }
            Object ts = outer.get("Timestamp");
            Instant at = ts == null ? sqsSentAt : Times.parse("Timestamp", ts);
            Map<String, Object> message;
            try {
                message = Json.object(Json.read(s, "Message"), "Message");
            } catch (InvalidInputException e) {
                // Not JSON: a service's plain-text notice (SES's topic validation) or a malformed message; the handler tells which.
                message = null;
            }
            return new SnsMessage(message, s, String.valueOf(outer.get("MessageId")), at, true);
        }
        return new SnsMessage(outer, body, sqsMessageId, sqsSentAt, true);
    }
}
