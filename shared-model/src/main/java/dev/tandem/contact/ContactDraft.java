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
            if (v instanceof String s) {
                out.put(channel, new Consent(ConsentStatus.parse(field, s), source, now));
            } else if (v instanceof Map<?, ?> detail) {
                Object status = detail.get("status");
                if (!(status instanceof String s)) {
                    throw new InvalidInputException(field + ".status", field + ".status must be subscribed or unsubscribed");
                }
                Object src = detail.get("source");
                if (src != null && !(src instanceof String)) {
                    throw new InvalidInputException(field + ".source", field + ".source must be a string");
                }
                Object at = detail.get("at");
                if (at != null && !(at instanceof String)) {
                    throw new InvalidInputException(field + ".at", field + ".at must be an ISO-8601 instant");
                }
                out.put(channel, new Consent(
                        ConsentStatus.parse(field + ".status", s),
                        src == null ? source : Checks.maxLength(field + ".source", (String) src, 64),
                        at == null ? now : Checks.instant(field + ".at", (String) at)));
            } else {
                throw new InvalidInputException(field, field + " must be subscribed or unsubscribed");
            }
        }
        return out;
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
