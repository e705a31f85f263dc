package dev.tandem.port;

import dev.tandem.contact.Channel;

/** Holds each send to the account's rate on its channel, for the whole deployment (SES 14/s and SMS 20/s by default). */
@FunctionalInterface
public interface Pacer {

    /** Blocks until one more send is allowed on the channel. */
    void acquire(Channel channel);
}
