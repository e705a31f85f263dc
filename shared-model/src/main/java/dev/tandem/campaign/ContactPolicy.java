package dev.tandem.campaign;

import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one budget across all campaigns and both channels (docs/campaigns.md): caps over rolling 24 hours
 * and 7 days, a minimum gap between messages of different campaigns, quiet hours per channel in the
 * contact's zone, and the largest SMS in segments.
 */
public record ContactPolicy(int maxPer24h, int maxPer7d, Duration minGap, QuietHours smsQuietHours,
                            QuietHours emailQuietHours, int maxSmsSegments, String smsOptInTemplate) {

    public static final ContactPolicy DEFAULT = new ContactPolicy(2, 5, Duration.ofHours(4),
            new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)), null, 2, null);

    /** The largest count a policy takes: far above any sensible cap, far below where an int would wrap. */
    static final int MAX_COUNT = 100_000;

    private static final Set<String> FIELDS = Set.of("maxPer24h", "maxPer7d", "minGap", "smsQuietHours",
            "emailQuietHours", "maxSmsSegments", "smsOptInTemplate");

    public QuietHours quietHours(dev.tandem.contact.Channel channel) {
        return channel == dev.tandem.contact.Channel.SMS ? smsQuietHours : emailQuietHours;
    }

    /** Reads a policy; what it leaves out keeps the default. */
    public static ContactPolicy from(Object raw) {
        if (raw == null) {
            return DEFAULT;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw new InvalidInputException("policy", "policy must be an object");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException("policy." + k, "unknown policy field " + k);
            }
        }
        int per24h = count(m, "maxPer24h", DEFAULT.maxPer24h, 1, MAX_COUNT);
        int per7d = count(m, "maxPer7d", DEFAULT.maxPer7d, 1, MAX_COUNT);
        if (per7d < per24h) {
            throw new InvalidInputException("policy.maxPer7d", "policy.maxPer7d must be at least policy.maxPer24h");
        }
        Duration gap = m.get("minGap") == null ? DEFAULT.minGap : Checks.duration("policy.minGap", string(m, "minGap"));
        QuietHours sms = m.containsKey("smsQuietHours") ? quiet(m.get("smsQuietHours"), "policy.smsQuietHours") : DEFAULT.smsQuietHours;
        QuietHours email = m.containsKey("emailQuietHours") ? quiet(m.get("emailQuietHours"), "policy.emailQuietHours") : null;
        int segments = count(m, "maxSmsSegments", DEFAULT.maxSmsSegments, 1, 10);
        Object optIn = m.get("smsOptInTemplate");
        if (optIn != null && !(optIn instanceof String)) {
            throw new InvalidInputException("policy.smsOptInTemplate", "policy.smsOptInTemplate must be a template id");
        }
        return new ContactPolicy(per24h, per7d, gap, sms, email, segments,
                optIn == null ? null : Checks.id("policy.smsOptInTemplate", (String) optIn));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxPer24h", maxPer24h);
        m.put("maxPer7d", maxPer7d);
        m.put("minGap", minGap.toString());
        // null is written as null: a policy without SMS quiet hours must read back without them, not with the default.
        m.put("smsQuietHours", smsQuietHours == null ? null
                : Map.of("from", smsQuietHours.from().toString(), "to", smsQuietHours.to().toString()));
        if (emailQuietHours != null) {
            m.put("emailQuietHours", Map.of("from", emailQuietHours.from().toString(), "to", emailQuietHours.to().toString()));
        }
        m.put("maxSmsSegments", maxSmsSegments);
        if (smsOptInTemplate != null) {
            m.put("smsOptInTemplate", smsOptInTemplate);
        }
        return m;
    }

    private static QuietHours quiet(Object raw, String field) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> q)) {
            throw new InvalidInputException(field, field + " must be an object such as {\"from\":\"21:00\",\"to\":\"08:00\"}");
        }
        return new QuietHours(Checks.localTime(field + ".from", string(q, "from")), Checks.localTime(field + ".to", string(q, "to")));
    }

    /** A whole number in [min, max], the error naming the field and its range whatever is wrong with the value. */
    private static int count(Map<?, ?> m, String key, int fallback, int min, int max) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
            throw new InvalidInputException("policy." + key, "policy." + key + " must be a whole number from " + min + " to " + max);
        }
        return n.intValue();
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
