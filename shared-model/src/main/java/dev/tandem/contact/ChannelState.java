package dev.tandem.contact;

import java.time.Instant;
import java.util.Objects;

/** The state of one channel of a contact, with the reason it became so. */
public record ChannelState(Reachability status, String reason, Instant at) {
    public static final ChannelState REACHABLE = new ChannelState(Reachability.REACHABLE, null, null);

    public ChannelState {
        Objects.requireNonNull(status, "status");
    }

    public static ChannelState suppressed(String reason, Instant at) {
        return new ChannelState(Reachability.SUPPRESSED, reason, at);
    }

    public static ChannelState optedOut(String reason, Instant at) {
        return new ChannelState(Reachability.OPTED_OUT, reason, at);
    }

    public static ChannelState reachable(String reason, Instant at) {
        return new ChannelState(Reachability.REACHABLE, reason, at);
    }
}
