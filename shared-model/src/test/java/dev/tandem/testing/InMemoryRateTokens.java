package dev.tandem.testing;

import dev.tandem.contact.Channel;
import dev.tandem.port.RateTokens;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The rate's tokens in memory, with the DynamoDB store's rule: a take gets what its second has left, up to n. */
public class InMemoryRateTokens implements RateTokens {
    private final Map<String, Long> taken = new ConcurrentHashMap<>();
    private final AtomicInteger takes = new AtomicInteger();

    @Override
    public long take(Channel channel, long second, int n, int quota) {
        takes.incrementAndGet();
        long[] first = {-1};
        taken.compute(channel + "#" + second, (k, had) -> {
            long h = had == null ? 0 : had;
            if (h >= quota) {
                return h;
            }
            first[0] = h;
            return h + n;
        });
        return first[0];
    }

    /** How many takes were asked for: one store write each. */
    public int takes() {
        return takes.get();
    }
}
