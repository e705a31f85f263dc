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
 * Goal conversions (docs/experiments.md). A new {@code conversion} or {@code custom.*} event converts the contact for
 * each launch of a campaign whose goal it is, when it falls within the goal's window after the contact's first
 * message of that launch (after enrolment for the holdout), once per contact and launch. Each conversion counts for the
 * contact's group, and is credited last-touch to the channel and step of the last message before it in the window.
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
        for (DecisionStore.RunHistory r : runs.runsOf(e.contactId())) {
            if (r.kind() != Run.Kind.LAUNCH) {
                continue;
            }
            Campaign c = read.computeIfAbsent(r.campaign(), campaigns).orElse(null);
            if (c == null || c.goal() == null || !c.goal().event().equals(e.type())) {
                continue;
            }
            String group = c.groupOf(e.contactId());
            Instant from = Experiment.HOLDOUT.equals(group) ? r.startedAt() : firstSent(r.lines());
            if (!c.goal().inWindow(from, e.at()) || !runs.convert(e.contactId(), r.campaign(), r.occurrence(), e.at())) {
                continue;
            }
            Map<String, Long> counters = new TreeMap<>();
            counters.put(CONVERSIONS, 1L);
            if (group != null) {
                counters.put(CampaignStats.VARIANT + group + "/conversions", 1L);
            }
            Map<String, Object> touch = lastSent(r.lines(), from, e.at());
            if (touch != null) {
                counters.put(ATTRIBUTED + touch.get("channel") + "/" + touch.get("step"), 1L);
            }
            runs.count(r.campaign(), e.contactId(), counters);
            converted++;
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
