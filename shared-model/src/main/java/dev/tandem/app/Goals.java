package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.decide.Run;
import dev.tandem.experiment.Experiment;
import dev.tandem.ingest.CampaignStats;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.DecisionStore;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Goal conversions (docs/experiments.md). A {@code conversion} or {@code custom.*} event converts the contact for each
 * launch of a campaign whose goal it is, when it falls within the goal's window: from enrolment in a campaign with an
 * experiment (every group alike), else from the contact's first message of the launch. Once per contact and launch.
 * Each conversion counts for the contact's group, and is credited last-touch to the channel and step of the campaign's
 * last message before it in the window.
 */
public final class Goals {
    /** What a campaign's goal counters begin with: {@code goal.conversions}, {@code attributed/sms/sms}. */
    public static final String CONVERSIONS = "goal.conversions";
    public static final String ATTRIBUTED = "attributed/";

    private final DecisionStore runs;
    private final java.util.function.Function<String, Optional<Campaign>> campaigns;

    public Goals(DecisionStore runs, CampaignStore campaigns) {
        this(runs, campaigns::campaign);
    }

    public Goals(DecisionStore runs, java.util.function.Function<String, Optional<Campaign>> campaigns) {
        this.runs = runs;
        this.campaigns = campaigns;
    }

    /** Whether an event type can be a goal at all: read nothing for the others. */
    public static boolean candidate(String type) {
        return EventType.CONVERSION.wire().equals(type) || type.startsWith("custom.");
    }

    /** Records what the event converts; how many launches it converted the contact for. */
    public int record(TimelineEvent e) {
        if (!candidate(e.type())) {
            return 0;
        }
        int converted = 0;
        Map<String, Optional<Campaign>> read = new HashMap<>();
        List<DecisionStore.RunHistory> all = runs.runsOf(e.contactId());
        for (DecisionStore.RunHistory r : all) {
            if (r.kind() != Run.Kind.LAUNCH) {
                continue;
            }
            Campaign c = read.computeIfAbsent(r.campaign(), campaigns).orElse(null);
            if (c == null || c.goal() == null || !c.goal().event().equals(e.type())) {
                continue;
            }
            String group = c.groupOf(e.contactId());
            // In an experiment every group's window opens at enrolment (intention to treat): a variant contact whose
            // message was deferred or never went is compared as a holdout contact is, so the lift is not biased against
            // the variants. Without one, the window opens at the first message.
            Instant from = group != null ? r.startedAt() : firstSent(r.lines());
            if (!c.goal().inWindow(from, e.at())) {
                continue;
            }
            Map<String, Long> counters = new TreeMap<>();
            counters.put(CONVERSIONS, 1L);
            if (group != null) {
                counters.put(CampaignStats.VARIANT + group + "/conversions", 1L);
            }
            // Last touch: the campaign's last message to the contact in the window, a trigger's (a click's SMS, a
            // reply's email) included.
            Map<String, Object> touch = null;
            Instant touchAt = null;
            for (DecisionStore.RunHistory any : all) {
                if (!any.campaign().equals(r.campaign())) {
                    continue;
                }
                Map<String, Object> last = lastSent(any.lines(), from, e.at());
                Instant at = last == null ? null : Instant.parse(String.valueOf(last.get("at")));
                if (last != null && (touchAt == null || at.isAfter(touchAt))) {
                    touch = last;
                    touchAt = at;
                }
            }
            if (touch != null && !Experiment.HOLDOUT.equals(group)) {
                counters.put(ATTRIBUTED + touch.get("channel") + "/" + touch.get("step"), 1L);
            }
            if (runs.convert(e.contactId(), r.campaign(), r.occurrence(), e.at(), counters)) {
                converted++;
            }
        }
        return converted;
    }

    private static Instant firstSent(List<Map<String, Object>> lines) {
        return lines.stream().filter(Goals::sent).map(l -> Instant.parse(String.valueOf(l.get("at"))))
                .min(Instant::compareTo).orElse(null);
    }

    /** The last message sent from {@code from} up to {@code at}: the last touch. */
    private static Map<String, Object> lastSent(List<Map<String, Object>> lines, Instant from, Instant at) {
        Map<String, Object> last = null;
        Instant lastAt = null;
        for (Map<String, Object> l : lines) {
            if (!sent(l) || l.get("channel") == null) {
                continue;
            }
            Instant t = Instant.parse(String.valueOf(l.get("at")));
            if (!t.isBefore(from) && !t.isAfter(at) && (lastAt == null || !t.isBefore(lastAt))) {
                last = l;
                lastAt = t;
            }
        }
        return last;
    }

    private static boolean sent(Map<String, Object> line) {
        return "sent".equals(line.get("action"));
    }
}
