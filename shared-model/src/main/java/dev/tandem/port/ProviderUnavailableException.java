package dev.tandem.port;

import dev.tandem.contact.Channel;

/**
 * A provider refused a whole channel, not one recipient: access denied, sending paused or suspended, an unknown
 * configuration set, SNS authorization. Nothing is wrong with the message; no message on that channel can go
 * until someone fixes the account, so the sweep pauses the channel, raises the alarm and leaves the runs due.
 */
public final class ProviderUnavailableException extends RuntimeException {
    private final Channel channel;

    public ProviderUnavailableException(Channel channel, String message) {
        super(message, null, false, false);
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }
}
