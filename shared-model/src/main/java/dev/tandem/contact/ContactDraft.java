package dev.tandem.contact;

import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a caller asks a contact to become (the body of {@code PUT /contacts/{id}}), validated field by
 * field. It is read from plain maps so the rules live here and not in a JSON library.
 */
public record ContactDraft(String id, String email, String phone, ZoneId zone,
                           Map<Channel, Consent> consent, Map<String, Object> attributes, String locale) {

    public static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
    private static final int MAX_DEPTH = 6;
    private static final Set<String> FIELDS = Set.of("id", "email", "phone", "timezone", "consent", "attributes", "locale");

    /** A draft without a locale. */
    public ContactDraft(String id, String email, String phone, ZoneId zone, Map<Channel, Consent> consent,
                        Map<String, Object> attributes) {
        this(id, email, phone, zone, consent, attributes, null);
    }

    /** Reads a draft from a decoded JSON object. {@code source} names who set the consent when the body does not. */
    public static ContactDraft from(String id, Object body, String source, Instant now) {
        Checks.id("id", id);
        if (!(body instanceof Map<?, ?> map)) {
            throw new InvalidInputException("", "the body must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!FIELDS.contains(String.valueOf(key))) {
                throw new InvalidInputException(String.valueOf(key), "unknown field " + key);
            }
        }
        Object bodyId = map.get("id");
        if (bodyId != null && !id.equals(bodyId)) {
            throw new InvalidInputException("id", "id in the body must match the id in the path");
        }
        String email = Checks.string(map, "email");
        String phone = Checks.string(map, "phone");
        String zone = Checks.string(map, "timezone");
        String locale = Checks.string(map, "locale");
        if (email == null && phone == null) {
            throw new InvalidInputException("email", "a contact needs an email or a phone");
        }
        ContactDraft draft = new ContactDraft(
                id,
                email == null ? null : Checks.email("email", email),
                phone == null ? null : Checks.phone("phone", phone),
                zone == null ? null : Checks.zone("timezone", zone),
                consent(map.get("consent"), source, now),
                attributes(map.get("attributes")));
        return locale == null ? draft : draft.withLocale(Checks.locale("locale", locale));
    }

    private ContactDraft withLocale(String tag) {
        return new ContactDraft(id, email, phone, zone, consent, attributes, tag);
    }

    /** The same draft, every consent it sets carrying this evidence too (an import's file and row). */
    public ContactDraft withConsentEvidence(Map<String, String> evidence) {
        Map<Channel, Consent> m = new EnumMap<>(Channel.class);
        consent.forEach((ch, c) -> m.put(ch, c.withEvidence(evidence)));
        return new ContactDraft(id, email, phone, zone, m, attributes, locale);
    }

    /**
     * The contact this draft makes. A PUT replaces the address, zone and attributes; it keeps what the caller
     * does not own: channel states, the creation time, and the source and time of consent that did not change.
     */
    public Contact applyTo(Contact existing, Instant now) {
        Map<Channel, Consent> merged = new EnumMap<>(Channel.class);
        if (existing != null) {
            merged.putAll(existing.consent());
        }
        consent.forEach((channel, wanted) -> {
            Consent current = merged.get(channel);
            if (current == null || current.status() != wanted.status()) {
                merged.put(channel, wanted);
            }
        });
        return new Contact(id, email, phone, zone,
                merged,
                existing == null ? Map.of() : existing.states(),
                attributes == null ? Map.of() : attributes,
                existing == null ? now : existing.createdAt(),
                now, locale);
    }

    /** How far ahead of Tandem's clock a caller's consent time may be, for clocks that disagree. */
    private static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    /** The evidence a caller may give with a consent, and the longest of each. */
    private static final Map<String, Integer> EVIDENCE = Map.of("text", 2000, "version", 64, "ip", 45, "form", 256,
            "url", 2048, "userAgent", 512);

    private static Map<Channel, Consent> consent(Object raw, String source, Instant now) {
        Map<Channel, Consent> out = new EnumMap<>(Channel.class);
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new InvalidInputException("consent", "consent must be an object such as {\"email\":\"subscribed\"}");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String field = "consent." + e.getKey();
            Channel channel = Channel.parse(field, String.valueOf(e.getKey()));
            Object v = e.getValue();
            Consent c;
            if (v instanceof String s) {
                c = new Consent(ConsentStatus.parse(field, s), source, now);
            } else if (v instanceof Map<?, ?> detail) {
                c = detailed(field, detail, source, now);
            } else {
                throw new InvalidInputException(field, field + " must be subscribed, unsubscribed or pending");
            }
            if (c.pending() && channel != Channel.SMS) {
                throw new InvalidInputException(field, field + " cannot be pending: double opt-in is for SMS");
            }
            out.put(channel, c);
        }
        return out;
    }

    /**
     * The object form {@code {"status", "at", "evidence": {...}, "source"}}. The source of a change is how it reached
     * Tandem ({@code api}, {@code import}); a caller's own {@code source} (the form that collected it) is kept as the
     * evidence's {@code form}.
     */
    private static Consent detailed(String field, Map<?, ?> detail, String source, Instant now) {
        for (Object k : detail.keySet()) {
            if (!Set.of("status", "source", "at", "evidence").contains(String.valueOf(k))) {
                throw new InvalidInputException(field + "." + k, "unknown field " + k + " in " + field);
            }
        }
        Object status = detail.get("status");
        if (!(status instanceof String s)) {
            throw new InvalidInputException(field + ".status", field + ".status must be subscribed, unsubscribed or pending");
        }
        Object src = detail.get("source");
        if (src != null && !(src instanceof String)) {
            throw new InvalidInputException(field + ".source", field + ".source must be a string");
        }
        Object at = detail.get("at");
        if (at != null && !(at instanceof String)) {
            throw new InvalidInputException(field + ".at", field + ".at must be an ISO-8601 instant");
        }
        Instant when = at == null ? now : Checks.instant(field + ".at", (String) at);
        // A consent given later than now cannot be: and a YES would be older than it, so a pending number would stay so.
        if (when.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new InvalidInputException(field + ".at", field + ".at is in the future; give the time the person consented");
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        if (src != null) {
            evidence.put("form", Checks.maxLength(field + ".source", (String) src, 64));
        }
        Object ev = detail.get("evidence");
        if (ev != null) {
            if (!(ev instanceof Map<?, ?> em)) {
                throw new InvalidInputException(field + ".evidence", field + ".evidence must be an object such as {\"text\": ..., \"ip\": ...}");
            }
            for (Map.Entry<?, ?> x : em.entrySet()) {
                String key = String.valueOf(x.getKey());
                String f = field + ".evidence." + key;
                Integer max = EVIDENCE.get(key);
                if (max == null) {
                    throw new InvalidInputException(f, "unknown evidence " + key + "; evidence may hold " + String.join(", ",
                            new java.util.TreeSet<>(EVIDENCE.keySet())));
                }
                if (!(x.getValue() instanceof String value) || value.isBlank()) {
                    throw new InvalidInputException(f, f + " must be a non-empty string");
                }
                evidence.put(key, "ip".equals(key) ? Checks.ip(f, value) : Checks.maxLength(f, value, max));
            }
        }
        return new Consent(ConsentStatus.parse(field + ".status", s), source, when, evidence);
    }

    private static Map<String, Object> attributes(Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new InvalidInputException("attributes", "attributes must be an object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
                throw new InvalidInputException("attributes." + key,
                        "attribute names start with a letter or _ and hold letters, digits and _ (at most 64)");
            }
            checkValue("attributes." + key, e.getValue(), 1);
            out.put(key, e.getValue());
        }
        if (size(out) > MAX_ATTRIBUTES_BYTES) {
            throw new InvalidInputException("attributes", "attributes must be at most " + MAX_ATTRIBUTES_BYTES + " bytes");
        }
        return out;
    }

    private static void checkValue(String field, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(field, field + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                checkValue(field + "." + e.getKey(), e.getValue(), depth + 1);
            }
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                checkValue(field + "[" + i + "]", l.get(i), depth + 1);
            }
        } else {
            throw new InvalidInputException(field, field + " has an unsupported type");
        }
    }

    /** A close upper bound of the UTF-8 size of a value written as JSON. */
    static int size(Object v) {
        if (v == null) {
            return 4;
        }
        if (v instanceof String s) {
            return s.length() * 3 + 2;
        }
        if (v instanceof Map<?, ?> m) {
            int n = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += size(String.valueOf(e.getKey())) + 1 + size(e.getValue()) + 1;
            }
            return n;
        }
        if (v instanceof List<?> l) {
            int n = 2;
            for (Object o : l) {
                n += size(o) + 1;
            }
            return n;
        }
        return String.valueOf(v).length();
    }
}
