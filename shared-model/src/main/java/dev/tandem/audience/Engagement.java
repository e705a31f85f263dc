package dev.tandem.audience;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A contact's engagement in brief: for each event type, and each event type of each campaign, the times of its
 * newest events (at most {@link #KEEP} of each). It answers a segment's event conditions without reading the
 * timeline. A count above {@link #KEEP} within a window reads as {@link #KEEP}.
 */
public final class Engagement {
    /** The newest event times kept of each type, and of each type of each campaign. */
    public static final int KEEP = 100;
    public static final Engagement NONE = new Engagement(Map.of());
    private static final char CAMPAIGN_SEPARATOR = '#';

    private final Map<String, long[]> times;

    /** {@code times}: by {@link #key}, epoch seconds in any order. */
    public Engagement(Map<String, long[]> times) {
        Map<String, long[]> sorted = new HashMap<>();
        times.forEach((k, v) -> {
            long[] copy = v.clone();
            Arrays.sort(copy);
            sorted.put(k, copy);
        });
        this.times = Collections.unmodifiableMap(sorted);
    }

    /**
     * Delivery events are not kept: one follows nearly every send, so a summary of them would double what summaries
     * cost to keep and say little that the send does not. Machine opens and link previews are not engagement either.
     */
    private static final java.util.Set<String> NOT_KEPT = java.util.Set.of("email.delivered", "sms.delivered", "email.delivery_delay");

    /** Whether events of this type are kept in summaries, and so can be counted by a segment. */
    public static boolean kept(String type) {
        return !NOT_KEPT.contains(type);
    }

    /** Whether an event goes into its contact's summary. */
    public static boolean kept(dev.tandem.timeline.TimelineEvent e) {
        return kept(e.type()) && !e.machine();
    }

    /** The summary key of an event type, or of an event type within one campaign. */
    public static String key(String type, String campaign) {
        return campaign == null ? type : type + CAMPAIGN_SEPARATOR + campaign;
    }

    /**
     * How many events of {@code type} (a type's full name, or a prefix ending in {@code *}) the contact had in
     * {@code [from, to]}, of one campaign when {@code campaign} is given.
     */
    public int count(String type, String campaign, Instant from, Instant to) {
        boolean prefix = type.endsWith("*");
        String stem = prefix ? type.substring(0, type.length() - 1) : type;
        int total = 0;
        for (Map.Entry<String, long[]> e : times.entrySet()) {
            String k = e.getKey();
            int sep = k.indexOf(CAMPAIGN_SEPARATOR);
            String kType = sep < 0 ? k : k.substring(0, sep);
            String kCampaign = sep < 0 ? null : k.substring(sep + 1);
            if (campaign == null ? kCampaign != null : !campaign.equals(kCampaign)) {
                continue;
            }
            if (prefix ? !kType.startsWith(stem) : !kType.equals(type)) {
                continue;
            }
            total += within(e.getValue(), from.getEpochSecond(), to.getEpochSecond());
        }
        return total;
    }

    private static int within(long[] sorted, long from, long to) {
        int lo = lowerBound(sorted, from);
        int hi = lowerBound(sorted, to + 1);
        return Math.min(KEEP, hi - lo);
    }

    private static int lowerBound(long[] a, long v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The summary of a timeline: what the store keeps up to date as events land. */
    public static Engagement of(java.util.Collection<dev.tandem.timeline.TimelineEvent> events) {
        Map<String, java.util.List<Long>> by = new HashMap<>();
        for (dev.tandem.timeline.TimelineEvent e : events) {
            if (!kept(e)) {
                continue;
            }
            by.computeIfAbsent(key(e.type(), null), k -> new java.util.ArrayList<>()).add(e.at().getEpochSecond());
            if (e.campaign() != null) {
                by.computeIfAbsent(key(e.type(), e.campaign()), k -> new java.util.ArrayList<>()).add(e.at().getEpochSecond());
            }
        }
        Map<String, long[]> times = new HashMap<>();
        by.forEach((k, v) -> {
            long[] all = v.stream().mapToLong(Long::longValue).sorted().toArray();
            times.put(k, all.length <= KEEP ? all : Arrays.copyOfRange(all, all.length - KEEP, all.length));
        });
        return new Engagement(times);
    }

    public Map<String, long[]> times() {
        return times;
    }
}
