package dev.tandem.experiment;

import dev.tandem.app.Goals;
import dev.tandem.ingest.CampaignStats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /campaigns/{id}/stats} adds for a campaign with an experiment or a goal (docs/experiments.md): per
 * group (each variant and the holdout) its contacts, messages sent per channel, conversions and conversion rate, and
 * each variant's lift over the holdout with Newcombe's 95% interval; the goal's conversions, and those credited
 * last-touch to each channel and step.
 */
public final class Reading {
    public static final String INTERVAL = "difference of conversion rates, variant minus holdout; 95% Newcombe hybrid score interval";

    private Reading() {
    }

    public static Map<String, Object> of(Experiment experiment, Goal goal, Map<String, Long> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (experiment != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            Map<String, Object> held = group(Experiment.HOLDOUT, experiment, raw);
            Map<String, Object> variants = new LinkedHashMap<>();
            for (Experiment.Variant v : experiment.variants()) {
                Map<String, Object> g = group(v.id(), experiment, raw);
                if (experiment.holdout() > 0) {
                    g.put("lift", Lift.of((long) g.get("conversions"), (long) g.get("contacts"),
                            (long) held.get("conversions"), (long) held.get("contacts")).toMap());
                }
                variants.put(v.id(), g);
            }
            e.put("variants", variants);
            if (experiment.holdout() > 0) {
                e.put("holdout", held);
                e.put("interval", INTERVAL);
            }
            out.put("experiment", e);
        }
        if (goal != null) {
            Map<String, Object> g = new LinkedHashMap<>(goal.toMap());
            g.put("conversions", raw.getOrDefault(Goals.CONVERSIONS, 0L));
            Map<String, Map<String, Long>> attributed = new TreeMap<>();
            raw.forEach((k, n) -> {
                if (k.startsWith(Goals.ATTRIBUTED)) {
                    String[] parts = k.substring(Goals.ATTRIBUTED.length()).split("/", 2);
                    if (parts.length == 2) {
                        attributed.computeIfAbsent(parts[0], c -> new TreeMap<>()).put(parts[1], n);
                    }
                }
            });
            g.put("attributed", attributed);
            out.put("goal", g);
        }
        return out;
    }

    private static Map<String, Object> group(String id, Experiment experiment, Map<String, Long> raw) {
        String p = CampaignStats.VARIANT + id + "/";
        long contacts = raw.getOrDefault(p + "contacts", 0L);
        long conversions = raw.getOrDefault(p + "conversions", 0L);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("share", Lift.round(experiment.share(id)));
        g.put("contacts", contacts);
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("email", raw.getOrDefault(p + "email.sent", 0L));
        sent.put("sms", raw.getOrDefault(p + "sms.sent", 0L));
        g.put("sent", sent);
        g.put("conversions", conversions);
        g.put("conversionRate", Lift.round(Lift.rate(conversions, contacts)));
        return g;
    }
}
