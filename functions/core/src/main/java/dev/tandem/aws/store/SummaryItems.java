package dev.tandem.aws.store;

import dev.tandem.audience.Engagement;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The engagement summary item: for each event type, and each type of each campaign, a number set of the newest
 * events' times. A value is {@code epochSecond * 1,000,000 + (a hash of the event id mod 1,000,000)}: adding the same
 * event twice adds nothing (a set), and two events in one second stay two (unless their ids' hashes meet, one in a
 * million).
 */
final class SummaryItems {
    static final String TYPE = "summary";
    /** Every times attribute's name begins with this, then the engagement key ({@code email.open#winter}). */
    static final String TIMES_PREFIX = "E#";

    private SummaryItems() {
    }

    static long value(Instant at, String eventId) {
        return at.getEpochSecond() * 1_000_000 + Math.floorMod(eventId.hashCode(), 1_000_000);
    }

    static long secondOf(long value) {
        return Math.floorDiv(value, 1_000_000);
    }

    static String attribute(String key) {
        return TIMES_PREFIX + key;
    }

    static Engagement engagement(Map<String, AttributeValue> item) {
        Map<String, long[]> times = new HashMap<>();
        item.forEach((name, v) -> {
            if (name.startsWith(TIMES_PREFIX) && v.hasNs()) {
                long[] seconds = new long[v.ns().size()];
                int i = 0;
                for (String n : v.ns()) {
                    seconds[i++] = secondOf(Long.parseLong(n));
                }
                times.put(name.substring(TIMES_PREFIX.length()), seconds);
            }
        });
        return new Engagement(times);
    }
}
