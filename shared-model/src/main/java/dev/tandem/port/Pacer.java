package dev.tandem.port;

import dev.tandem.contact.Channel;

/** Holds each send to the channel's sending rate (SES 14/s and SMS 20/s by default). */
public interface Pacer {

    /** Blocks until one more send is allowed on the channel. */
    void acquire(Channel channel);

    /** Waits before another attempt of a throttled send; attempt counts from 1. */
    void backoff(int attempt);
}
