package dev.tandem.ingest;

import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The per-campaign counters an event or a decision adds one to. */
public final class CampaignStats {
    private CampaignStats() {
    }

    /** The counter an event of a campaign counts in, if any: {@code email.open.human}, {@code conversion}... */
    public static Optional<String> counterOf(TimelineEvent e) {
        if (e.campaign() == null) {
            return Optional.empty();
        }
        Optional<EventType> t = EventType.of(e.type());
        if (t.isEmpty() || t.get() == EventType.CUSTOM) {
            return Optional.empty();
        }
        if (t.get() == EventType.EMAIL_OPEN) {
            return Optional.of(e.machine() ? "email.open.machine" : "email.open.human");
        }
        if (t.get() == EventType.SMS_CLICK && e.machine()) {
            return Optional.of("sms.click.machine");
        }
        return Optional.of(e.type());
    }

    /** What a step's counters begin with: {@code step/email-1/email.sent}. */
    public static final String STEP = "step/";
    /** What an hour's counters begin with: {@code at/2026-11-27T05/email.sent} (UTC hours). */
    public static final String HOUR = "at/";
    private static final DateTimeFormatter HOURS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    /**
     * One count as the report reads it: the campaign's total, the step's (when there is one), and the UTC hour's, so
     * a report draws the funnel per step and the activity over time without reading a timeline.
     */
    public static List<String> keyed(String counter, String step, Instant at) {
        return keyed(counter, step, at, null);
    }

    /** What a variant's counters begin with: {@code variant/B/sms.sent}, {@code variant/holdout/contacts}. */
    public static final String VARIANT = "variant/";

    /** {@link #keyed(String, String, Instant)}, and the experiment group's count when there is one. */
    public static List<String> keyed(String counter, String step, Instant at, String variant) {
        List<String> out = new ArrayList<>(4);
        if (variant != null) {
            out.add(VARIANT + variant + "/" + counter);
        }
        out.add(counter);
        if (step != null && !step.isEmpty()) {
            out.add(STEP + step + "/" + counter);
        }
        if (at != null) {
            out.add(HOUR + HOURS.format(at) + "/" + counter);
        }
        return out;
    }

    /** The counters of a list keyed the same way. */
    public static List<String> keyed(List<String> counters, String step, Instant at) {
        List<String> out = new ArrayList<>();
        for (String c : counters) {
            out.addAll(keyed(c, step, at));
        }
        return out;
    }

    /** The counter of a decision that did not send: {@code sms.deferred.quiet-hours}, {@code email.skipped.engaged}. */
    public static String decision(String channel, String action, String reason) {
        return (channel == null ? "any" : channel) + "." + action + "." + reason;
    }
}
