package dev.tandem.port;

import dev.tandem.contact.Channel;

/**
 * The sending rate's tokens, shared by every sender of a deployment: each second of each channel has {@code quota}
 * of them, numbered from 0, and a sender takes a few at a time.
 */
public interface RateTokens {

    /**
     * Takes up to {@code n} tokens of a channel's second (epoch seconds), of {@code quota} in all: the number of the
     * first, or -1 when none is left. Numbers from {@code quota} on are not tokens: the caller uses those below it.
     */
    long take(Channel channel, long second, int n, int quota);
}
