package dev.tandem.aws;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tandem.ingest.CampaignStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The campaign counters an invocation wrote (docs/api.md's stats: {@code email.sent}, {@code sms.deferred.quiet-hours},
 * {@code conversion}...) as CloudWatch metrics, in Embedded Metric Format, namespace {@code Tandem}
 * (docs/operations.md#metrics):
 * <ul>
 * <li>the funnel, {@code Sent Delivered HumanOpens Clicks Replies} by {@code Channel}, and by {@code Channel} and
 * {@code Campaign} when campaign metrics are on; {@code Conversions} by {@code Stack}, and by {@code Campaign};</li>
 * <li>by {@code Channel} only: {@code MachineOpens MachineClicks Bounces Complaints Unsubscribes Failed};</li>
 * <li>{@code Deferred} and {@code Skipped} by {@code Channel} and {@code Reason}, never by campaign;</li>
 * <li>{@code IngestionAge}: the oldest engagement event of the invocation, from when it happened to when it was
 * recorded, by {@code Channel}; {@code Throttles} by {@code Channel}.</li>
 * </ul>
 * Dimensions are bounded: two channels, Tandem's reasons, and the campaigns the user made. The stores add to it as they
 * write counters; the handler flushes it at the end of an invocation. Lambda runs one invocation at a time in a
 * process, so one accumulator per process is one per invocation.
 */
public final class Funnel {
    static final List<String> BY_CAMPAIGN = List.of("Sent", "Delivered", "HumanOpens", "Clicks", "Replies");
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("sent", "Sent"), Map.entry("delivered", "Delivered"), Map.entry("open.human", "HumanOpens"),
            Map.entry("open.machine", "MachineOpens"), Map.entry("click", "Clicks"), Map.entry("click.machine", "MachineClicks"),
            Map.entry("reply", "Replies"), Map.entry("bounce", "Bounces"), Map.entry("complaint", "Complaints"),
            Map.entry("unsubscribe", "Unsubscribes"), Map.entry("failed", "Failed"));

    /** Every metric name the functions publish in namespace Tandem: this one's, and the handlers' own. */
    public static final java.util.Set<String> METRICS = java.util.Set.of("Sent", "Delivered", "HumanOpens", "MachineOpens",
            "Clicks", "MachineClicks", "Replies", "Bounces", "Complaints", "Unsubscribes", "Failed", "Conversions", "Deferred",
            "Skipped", "IngestionAge", "Throttles",
            "RunsFailed", "ChannelPaused", "MessagesSent", "MessagesUnknown", "SendsClaimed");

    private static final Map<String, Map<String, Long>> counters = new TreeMap<>();
    private static final Map<String, Instant> oldest = new TreeMap<>();
    private static final Map<String, Long> throttles = new TreeMap<>();

    private Funnel() {
    }

    /** Counters a store wrote for a campaign (totals; per-step and per-hour names are passed over). */
    public static synchronized void counted(String campaign, Map<String, Long> written) {
        written.forEach((name, n) -> {
            // Totals only: per step, per hour, per experiment group and the goal's counts are the report's, not metrics.
            if (name.indexOf('/') < 0) {
                counters.computeIfAbsent(campaign, k -> new TreeMap<>()).merge(name, n, Long::sum);
            }
        });
    }

    /** An engagement event recorded, which happened at {@code at}. */
    public static synchronized void ingested(String channel, Instant at) {
        if (channel != null && at != null) {
            oldest.merge(channel, at, (a, b) -> a.isBefore(b) ? a : b);
        }
    }

    /** A send the provider throttled. */
    public static synchronized void throttled(String channel, long n) {
        if (n > 0) {
            throttles.merge(channel, n, Long::sum);
        }
    }

    /** Writes what this invocation counted, with the function's environment: STACK_NAME, CAMPAIGN_METRICS (on|off). */
    public static void flush(Context ctx, Instant now) {
        flush(new Metrics(System.getenv("STACK_NAME")), ctx, now, !"off".equals(System.getenv("CAMPAIGN_METRICS")));
    }

    /** Writes what this invocation counted as metric lines, and forgets it. */
    public static void flush(Metrics metrics, Context ctx, Instant now, boolean byCampaign) {
        List<Map<String, Object>> lines;
        synchronized (Funnel.class) {
            lines = lines(now, byCampaign);
            counters.clear();
            oldest.clear();
            throttles.clear();
        }
        for (Map<String, Object> line : lines) {
            metrics.write(ctx, now.toEpochMilli(), line);
        }
    }

    /** The metric lines of what was counted: each its dimension values, metric values, and dimension sets per metric. */
    static List<Map<String, Object>> lines(Instant now, boolean byCampaign) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Map<String, Long>> reasons = new TreeMap<>();
        counters.forEach((campaign, c) -> {
            Map<String, Map<String, Long>> perChannel = new TreeMap<>();
            long conversions = 0;
            for (Map.Entry<String, Long> e : c.entrySet()) {
                String name = e.getKey();
                if (name.equals("conversion")) {
                    conversions += e.getValue();
                    continue;
                }
                int dot = name.indexOf('.');
                if (dot < 0) {
                    continue;
                }
                String channel = name.substring(0, dot);
                String rest = name.substring(dot + 1);
                if (rest.startsWith("deferred.") || rest.startsWith("skipped.")) {
                    String kind = rest.startsWith("deferred.") ? "Deferred" : "Skipped";
                    String reason = rest.substring(rest.indexOf('.') + 1);
                    reasons.computeIfAbsent(channel + "|" + reason, k -> new TreeMap<>()).merge(kind, e.getValue(), Long::sum);
                    continue;
                }
                String metric = NAMES.get(rest);
                if (metric != null) {
                    perChannel.computeIfAbsent(channel, k -> new TreeMap<>()).merge(metric, e.getValue(), Long::sum);
                }
            }
            perChannel.forEach((channel, values) -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("Channel", channel);
                if (byCampaign) {
                    line.put("Campaign", campaign);
                }
                Map<String, List<List<String>>> sets = new LinkedHashMap<>();
                values.forEach((metric, n) -> sets.put(metric, byCampaign && BY_CAMPAIGN.contains(metric)
                        ? List.of(List.of("Stack", "Channel"), List.of("Stack", "Channel", "Campaign"))
                        : List.of(List.of("Stack", "Channel"))));
                out.add(line(line, values, sets));
            });
            if (conversions > 0) {
                Map<String, Object> line = new LinkedHashMap<>();
                if (byCampaign) {
                    line.put("Campaign", campaign);
                }
                out.add(line(line, Map.of("Conversions", conversions), Map.of("Conversions", byCampaign
                        ? List.of(List.of("Stack"), List.of("Stack", "Campaign")) : List.of(List.of("Stack")))));
            }
        });
        reasons.forEach((key, values) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("Channel", key.substring(0, key.indexOf('|')));
            line.put("Reason", key.substring(key.indexOf('|') + 1));
            Map<String, List<List<String>>> sets = new LinkedHashMap<>();
            values.keySet().forEach(m -> sets.put(m, List.of(List.of("Stack", "Channel", "Reason"))));
            out.add(line(line, values, sets));
        });
        oldest.forEach((channel, at) -> out.add(line(new LinkedHashMap<>(Map.of("Channel", channel)),
                Map.of("IngestionAge", Math.max(0, now.toEpochMilli() - at.toEpochMilli())),
                Map.of("IngestionAge", List.of(List.of("Stack", "Channel"))))));
        throttles.forEach((channel, n) -> out.add(line(new LinkedHashMap<>(Map.of("Channel", channel)),
                Map.of("Throttles", n), Map.of("Throttles", List.of(List.of("Stack", "Channel"))))));
        return out;
    }

    private static Map<String, Object> line(Map<String, Object> dims, Map<String, Long> values, Map<String, List<List<String>>> sets) {
        Map<String, Object> line = new LinkedHashMap<>(dims);
        line.put("values", values);
        line.put("sets", sets);
        return line;
    }
}
