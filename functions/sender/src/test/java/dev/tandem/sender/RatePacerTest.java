package dev.tandem.sender;

import dev.tandem.contact.Channel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RatePacerTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Long> waits = new ArrayList<>();
    private final RatePacer pacer = new RatePacer(14, 20, 200, clock::get, nanos -> {
        waits.add(nanos);
        clock.addAndGet(nanos);
    });

    @Test
    void spacesSendsOfAChannelByOneOverItsRate() {
        for (int i = 0; i < 4; i++) {
            pacer.acquire(Channel.EMAIL);
        }
        long interval = 1_000_000_000L / 14;
        assertEquals(List.of(interval, interval, interval), waits, "the first goes at once, the rest 1/14 s apart");
    }

    @Test
    void eachChannelHasItsOwnRate() {
        pacer.acquire(Channel.EMAIL);
        pacer.acquire(Channel.SMS);
        pacer.acquire(Channel.SMS);
        assertEquals(List.of(1_000_000_000L / 20), waits);
    }

    @Test
    void aQuietPeriodBanksNoBurst() {
        pacer.acquire(Channel.SMS);
        clock.addAndGet(10_000_000_000L);
        pacer.acquire(Channel.SMS);
        pacer.acquire(Channel.SMS);
        assertEquals(List.of(1_000_000_000L / 20), waits);
    }

    @Test
    void backoffDoublesWithEachAttempt() {
        pacer.backoff(1);
        pacer.backoff(2);
        pacer.backoff(3);
        assertEquals(List.of(200_000_000L, 400_000_000L, 800_000_000L), waits);
    }
}
