package dev.tandem.report;

import dev.tandem.contact.Channel;
import dev.tandem.ingest.CampaignStats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A campaign's raw counters ({@code email.sent}, {@code sms.deferred.quiet-hours}, {@code step/email/email.sent}...)
 * in the shape {@code GET /campaigns/{id}/stats} answers. The report reads its numbers through the same shape, so the
 * two never disagree.
 */
public final class Stats {
    private Stats() {
    }

    /** Per channel: sent, delivered, opens, clicks, replies, failures; deferred and skipped by reason; and conversions. */
    public static Map<String, Object> of(Map<String, Long> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Channel ch : Channel.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            String p = ch.wire() + ".";
            c.put("sent", raw.getOrDefault(p + "sent", 0L));
            c.put("delivered", raw.getOrDefault(p + "delivered", 0L));
            if (ch == Channel.EMAIL) {
                c.put("opens", Map.of("human", raw.getOrDefault("email.open.human", 0L), "machine", raw.getOrDefault("email.open.machine", 0L)));
                c.put("clicks", raw.getOrDefault("email.click", 0L));
                c.put("bounces", raw.getOrDefault("email.bounce", 0L));
                c.put("complaints", raw.getOrDefault("email.complaint", 0L));
                c.put("unsubscribes", raw.getOrDefault("email.unsubscribe", 0L));
            } else {
                c.put("clicks", raw.getOrDefault("sms.click", 0L));
                c.put("replies", raw.getOrDefault("sms.reply", 0L));
                c.put("failed", raw.getOrDefault("sms.failed", 0L));
            }
            c.put("deferred", byReason(raw, p + "deferred."));
            c.put("skipped", byReason(raw, p + "skipped."));
            c.put("unknown", raw.getOrDefault(p + "unknown", 0L));
            c.put("providerFailures", raw.getOrDefault(p + "failed", 0L));
            out.put(ch.wire(), c);
        }
        out.put("conversions", raw.getOrDefault("conversion", 0L));
        return out;
    }

    /** The counters under a prefix, by what follows it: {@code {"quiet-hours": 3}} for {@code sms.deferred.}. */
    static Map<String, Long> byReason(Map<String, Long> raw, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** One step's counters, named as the campaign's are: {@code step/email/email.sent} becomes {@code email.sent}. */
    static Map<String, Long> ofStep(Map<String, Long> raw, String step) {
        return byReason(raw, CampaignStats.STEP + step + "/");
    }

    /** The steps that have counters, by name. */
    static TreeSet<String> steps(Map<String, Long> raw) {
        TreeSet<String> out = new TreeSet<>();
        for (String k : raw.keySet()) {
            if (k.startsWith(CampaignStats.STEP)) {
                int slash = k.indexOf('/', CampaignStats.STEP.length());
                if (slash > CampaignStats.STEP.length()) {
                    out.add(k.substring(CampaignStats.STEP.length(), slash));
                }
            }
        }
        return out;
    }
}
