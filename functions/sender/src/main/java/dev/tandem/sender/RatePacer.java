package dev.tandem.sender;

import dev.tandem.contact.Channel;
import dev.tandem.port.Pacer;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A sending rate per channel within this process: sends are spaced by 1/rate seconds, so no burst goes
 * over the provider's rate (SES 14/s, SMS 20/s by default, from template.yaml).
 */
public final class RatePacer implements Pacer {
    private final Map<Channel, Long> intervalNanos = new EnumMap<>(Channel.class);
    private final Map<Channel, Long> next = new EnumMap<>(Channel.class);
    private final long backoffMillis;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    /** How the pacer waits; tests record the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos);
    }

    public RatePacer(double emailPerSecond, double smsPerSecond, long backoffMillis) {
        this(emailPerSecond, smsPerSecond, backoffMillis, System::nanoTime, RatePacer::sleep);
    }

    public RatePacer(double emailPerSecond, double smsPerSecond, long backoffMillis, LongSupplier nanoTime, Sleeper sleeper) {
        if (emailPerSecond <= 0 || smsPerSecond <= 0) {
            throw new IllegalArgumentException("sending rates must be positive");
        }
        intervalNanos.put(Channel.EMAIL, (long) (1_000_000_000L / emailPerSecond));
        intervalNanos.put(Channel.SMS, (long) (1_000_000_000L / smsPerSecond));
        this.backoffMillis = backoffMillis;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    @Override
    public void acquire(Channel channel) {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long slot = Math.max(now, next.getOrDefault(channel, now));
            next.put(channel, slot + intervalNanos.get(channel));
            wait = slot - now;
        }
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
    }

    @Override
    public void backoff(int attempt) {
        sleeper.sleepNanos((backoffMillis << Math.min(attempt - 1, 6)) * 1_000_000L);
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing sends", e);
        }
    }
}
