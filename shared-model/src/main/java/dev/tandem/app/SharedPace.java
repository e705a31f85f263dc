package dev.tandem.app;

import dev.tandem.contact.Channel;
import dev.tandem.port.Pacer;
import dev.tandem.port.RateTokens;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The account's sending rate, held by the whole fleet of senders however many run: each second of a channel has
 * {@code quota} numbered tokens in the store, a sender takes a few at a time, and token {@code j} of second {@code s}
 * may be used only from {@code s + j/quota} on and within {@code s}. No two senders hold one token, so the fleet sends
 * at most {@code quota} a second, spread evenly over it; a sender with work uses whatever the others leave, so the
 * fleet reaches the quota as soon as enough senders are busy.
 *
 * <p>A sender takes {@code quota / 100} tokens at a time (at least one, at most ten): one write for every ten messages
 * at 1,000 a second, and few tokens left unused in senders' hands when a second ends. A take near the end of a second
 * gets whatever the second has left.
 */
public final class SharedPace implements Pacer {
    private final RateTokens tokens;
    private final Map<Channel, Integer> quota = new EnumMap<>(Channel.class);
    private final Map<Channel, Lease> leases = new EnumMap<>(Channel.class);
    private final LongSupplier millis;
    private final Sleeper sleeper;

    /** How the pace waits; tests record the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepMillis(long millis);
    }

    /**
     * The tokens this sender holds for one channel (numbers {@code next} to {@code end} of second {@code second}), and
     * the last second it found without tokens left.
     */
    private static final class Lease {
        long second = Long.MIN_VALUE;
        long next;
        long end;
        long full = Long.MIN_VALUE;
    }

    public SharedPace(RateTokens tokens, double emailPerSecond, double smsPerSecond, LongSupplier millis, Sleeper sleeper) {
        if (emailPerSecond < 1 || smsPerSecond < 1) {
            throw new IllegalArgumentException("sending rates must be at least 1 a second");
        }
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        quota.put(Channel.EMAIL, (int) emailPerSecond);
        quota.put(Channel.SMS, (int) smsPerSecond);
        leases.put(Channel.EMAIL, new Lease());
        leases.put(Channel.SMS, new Lease());
        this.millis = millis;
        this.sleeper = sleeper;
    }

    static int leaseSize(int quota) {
        return Math.max(1, Math.min(10, quota / 100));
    }

    @Override
    public void acquire(Channel channel) {
        int q = quota.get(channel);
        Lease lease = leases.get(channel);
        long slot;
        synchronized (lease) {
            while (true) {
                long now = millis.getAsLong();
                long second = Math.floorDiv(now, 1000);
                if (lease.second >= second && lease.next < lease.end) {
                    long j = lease.next++;
                    slot = lease.second * 1000 + j * 1000 / q;
                    break;
                }
                // The earliest second not known to be full: this one, or the next once this one is.
                long target = Math.max(second, lease.full + 1);
                if (target > second + 1) {
                    // Two seconds ahead is booking too far: wait for the next one to begin.
                    sleeper.sleepMillis(Math.max(1, (target - 1) * 1000 - now));
                    continue;
                }
                int n = leaseSize(q);
                long first = tokens.take(channel, target, n, q);
                if (first < 0) {
                    lease.full = target;
                    continue;
                }
                lease.second = target;
                lease.next = first;
                lease.end = Math.min(first + n, q);
            }
        }
        long wait = slot - millis.getAsLong();
        if (wait > 0) {
            sleeper.sleepMillis(wait);
        }
        if (millis.getAsLong() >= Math.floorDiv(slot, 1000) * 1000 + 1000) {
            // Woken after its second ended: the token is no longer good; take another.
            acquire(channel);
        }
    }

    /** Sleeps the thread, as senders do. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing sends", e);
        }
    }
}
