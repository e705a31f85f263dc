package dev.tandem.app;

import dev.tandem.contact.Channel;
import dev.tandem.testing.InMemoryRateTokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedPaceTest {
    /** A clock that moves only when a pace sleeps, and the moments each send was let go. */
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryRateTokens tokens = new InMemoryRateTokens();

    private SharedPace pace(double rate) {
        return new SharedPace(tokens, rate, rate, now::get, ms -> now.addAndGet(ms));
    }

    private void send(SharedPace pace, Channel channel, List<Long> sentAt) {
        pace.acquire(channel);
        sentAt.add(now.get());
    }

    @Test
    void sendersSharingTheTokensNeverGoOverTheRateInAnySecondAndSpreadOverIt() {
        List<Long> sent = new ArrayList<>();
        List<SharedPace> fleet = List.of(pace(200), pace(200), pace(200));
        for (int i = 0; i < 900; i++) {
            send(fleet.get(i % 3), Channel.EMAIL, sent);
        }
        Map<Long, Integer> perSecond = new TreeMap<>();
        for (long t : sent) {
            perSecond.merge(t / 1000, 1, Integer::sum);
        }
        assertTrue(perSecond.values().stream().allMatch(n -> n <= 200), perSecond.toString());
        assertTrue(perSecond.size() <= 6, "nine hundred at two hundred a second take five or six seconds: " + perSecond);
        // Two tokens a take at two hundred a second; each sender finds each second full once at most.
        assertTrue(tokens.takes() <= 900 / 2 + 3 * perSecond.size(), "takes " + tokens.takes());
    }

    @Test
    void aLoneSenderUsesTheWholeRate() {
        List<Long> sent = new ArrayList<>();
        SharedPace one = pace(50);
        for (int i = 0; i < 200; i++) {
            send(one, Channel.SMS, sent);
        }
        long seconds = (sent.get(sent.size() - 1) - sent.get(0)) / 1000 + 1;
        assertTrue(seconds <= 4, "two hundred at fifty a second: " + seconds + " s");
    }

    @Test
    void aTokenIsUsedAtItsMomentOfTheSecond() {
        List<Long> sent = new ArrayList<>();
        now.set(5_000);
        SharedPace one = pace(4);
        for (int i = 0; i < 8; i++) {
            send(one, Channel.EMAIL, sent);
        }
        assertEquals(List.of(5_000L, 5_250L, 5_500L, 5_750L, 6_000L, 6_250L, 6_500L, 6_750L), sent);
    }

    @Test
    void theLeaseIsAHundredthOfTheRateBetweenOneAndTen() {
        assertEquals(1, SharedPace.leaseSize(14));
        assertEquals(10, SharedPace.leaseSize(1000));
        assertEquals(10, SharedPace.leaseSize(100_000));
        assertEquals(2, SharedPace.leaseSize(200));
    }
}
