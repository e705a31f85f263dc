package dev.tandem.testing;

import dev.tandem.contact.Channel;
import dev.tandem.port.TestSendLog;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The message ids of test sends, in memory. */
public class InMemoryTestSendLog implements TestSendLog {
    public final Set<String> ids = Collections.synchronizedSet(new LinkedHashSet<>());

    @Override
    public void remember(String messageId, Channel channel, Instant at) {
        ids.add(messageId);
    }

    public final Set<String> claimed = Collections.synchronizedSet(new LinkedHashSet<>());

    @Override
    public boolean claim(String testId, Instant at) {
        return claimed.add(testId);
    }

    @Override
    public boolean isTest(String messageId) {
        return ids.contains(messageId);
    }
}
