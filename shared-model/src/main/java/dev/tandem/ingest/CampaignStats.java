package dev.tandem.ingest;

import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;

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

    /** The counter of a decision that did not send: {@code sms.deferred.quiet-hours}, {@code email.skipped.engaged}. */
    public static String decision(String channel, String action, String reason) {
        return (channel == null ? "any" : channel) + "." + action + "." + reason;
    }
}
