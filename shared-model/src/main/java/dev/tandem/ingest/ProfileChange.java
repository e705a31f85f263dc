package dev.tandem.ingest;

import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Consent;

import java.util.Objects;

/** A change to one channel of a profile that rides in the same write as the event that caused it. */
public record ProfileChange(Channel channel, ChannelState state, Consent consent) {
    public ProfileChange {
        Objects.requireNonNull(channel, "channel");
        if (state == null && consent == null) {
            throw new IllegalArgumentException("a profile change sets a state, a consent or both");
        }
    }
}
