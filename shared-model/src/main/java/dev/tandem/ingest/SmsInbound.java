package dev.tandem.ingest;

import java.time.Instant;
import java.util.Objects;

/** An inbound SMS, from the AWS End User Messaging two-way payload. {@code from} is the contact's number. */
public record SmsInbound(String inboundMessageId, String from, String to, String keyword, String body, Instant at) {
    public SmsInbound {
        Objects.requireNonNull(inboundMessageId, "inboundMessageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(at, "at");
        body = body == null ? "" : body;
    }
}
