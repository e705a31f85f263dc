package dev.tandem.port;

import dev.tandem.contact.Channel;

import java.time.Instant;

/**
 * The provider message ids of test sends, so that what the providers say back about them (an SMS delivery receipt names
 * only the message id) is known for a test's and set aside. Nothing about the recipient is kept.
 */
public interface TestSendLog {

    void remember(String messageId, Channel channel, Instant at);

    boolean isTest(String messageId);

    /**
     * Takes a caller's id for one test send, before it goes: true the first time, false when a test with this id was
     * taken already (a retried request), for a day.
     */
    boolean claim(String testId, Instant at);
}
