package dev.tandem.ingest;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A delivery status of an SMS Tandem sent: an End User Messaging event ({@code TEXT_DELIVERED}...) or an
 * SNS delivery-status log line forwarded from CloudWatch Logs ({@code SUCCESS}, {@code FAILURE}).
 */
public record SmsStatus(String messageId, String status, boolean isFinal, Instant at, String description) {
    private static final Set<String> DELIVERED = Set.of("TEXT_DELIVERED", "TEXT_SUCCESSFUL", "SUCCESS");
    private static final Set<String> IN_FLIGHT = Set.of("TEXT_QUEUED", "TEXT_PENDING");

    public SmsStatus {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }

    public enum Outcome { DELIVERED, FAILED, IN_FLIGHT }

    /** Delivered, failed (any other final status: blocked, unreachable, expired, spam, unknown...) or still in flight. */
    public Outcome outcome() {
        if (DELIVERED.contains(status)) {
            return Outcome.DELIVERED;
        }
        if (IN_FLIGHT.contains(status) || !isFinal) {
            return Outcome.IN_FLIGHT;
        }
        return Outcome.FAILED;
    }
}
