package dev.tandem.validation;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The validation rules every entry point shares. Each failure names its field. */
public final class Checks {
    public static final int MAX_ID_LENGTH = 128;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
    // Pragmatic address syntax: one @, a dotted domain, no spaces or angle brackets.
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private Checks() {
    }

    /** Ids end up in keys and SES message tags, so they keep to the characters both allow. */
    /**
     * A JSON object with only the fields named: else 400 naming {@code field} ("must be an object") or the unknown
     * field ("unknown goal field x; use event and within").
     */
    public static java.util.Map<?, ?> object(String field, Object raw, String noun, java.util.List<String> allowed) {
        if (!(raw instanceof java.util.Map<?, ?> m)) {
            throw new InvalidInputException(field, field + " must be an object");
        }
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                String use = allowed.size() == 1 ? allowed.get(0)
                        : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " and " + allowed.get(allowed.size() - 1);
                throw new InvalidInputException(field + "." + k, "unknown " + noun + " field " + k + "; use " + use);
            }
        }
        return m;
    }

    public static String id(String field, String value) {
        String v = required(field, value);
        if (v.length() > MAX_ID_LENGTH) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        if (!ID.matcher(v).matches()) {
            throw new InvalidInputException(field,
                    field + " may hold only letters, digits and . _ @ - and must start with a letter or digit");
        }
        return v;
    }

    /** An optional string member of a JSON object: null when absent, an error naming it when not a string. */
    public static String string(Map<?, ?> map, String key) {
        return string(map, key, key);
    }

    /** The same, with the error naming {@code field} (the key's full path). */
    public static String string(Map<?, ?> map, String key, String field) {
        Object v = map.get(key);
        if (v != null && !(v instanceof String)) {
            throw new InvalidInputException(field, field + " must be a string");
        }
        return (String) v;
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

    public static String email(String field, String value) {
        String v = required(field, value).trim();
        if (v.length() > 254 || !EMAIL.matcher(v).matches() || v.indexOf('@') > 64 || v.contains("..")) {
            throw new InvalidInputException(field, field + " is not a valid email address");
        }
        return v;
    }

    public static String phone(String field, String value) {
        String v = required(field, value).trim();
        if (!E164.matcher(v).matches()) {
            throw new InvalidInputException(field, field + " must be an E.164 number such as +14155550101");
        }
        return v;
    }

    public static ZoneId zone(String field, String value) {
        String v = required(field, value).trim();
        if (!ZONES.contains(v)) {
            throw new InvalidInputException(field, field + " must be an IANA time zone such as Europe/Paris");
        }
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new InvalidInputException(field, field + " must be an IANA time zone such as Europe/Paris");
        }
    }

    public static Instant instant(String field, String value) {
        String v = required(field, value).trim();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(field, field + " must be an ISO-8601 instant such as 2026-12-01T17:00:00Z");
            }
        }
    }

    /** The longest duration any field takes: a year and a day. Longer ones overflow the time arithmetic they feed. */
    public static final Duration MAX_DURATION = Duration.ofDays(366);

    public static Duration duration(String field, String value) {
        String v = required(field, value).trim();
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative()) {
                throw new InvalidInputException(field, field + " must not be negative");
            }
            if (d.compareTo(MAX_DURATION) > 0) {
                throw new InvalidInputException(field, field + " must be at most P366D");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " must be an ISO-8601 duration such as PT24H or P1D");
        }
    }

    public static LocalTime localTime(String field, String value) {
        String v = required(field, value).trim();
        try {
            return LocalTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " must be a local time such as 21:00");
        }
    }

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(:" + IPV4 + ")?");

    /** An IPv4 or IPv6 address as written (no host name is looked up). */
    public static String ip(String field, String value) {
        String v = required(field, value);
        if (v.length() > 45 || !(IPV4.matcher(v).matches() || IPV6.matcher(v).matches())) {
            throw new InvalidInputException(field, field + " must be an IPv4 or IPv6 address");
        }
        return v;
    }

    /**
     * A BCP 47 language tag such as {@code fr} or {@code pt-BR}, answered in its canonical case ({@code pt-br} is
     * {@code pt-BR}). Only the tags Java reads back unchanged are taken: a language of 2 or 3 letters, then script,
     * region and variants.
     */
    public static String locale(String field, String value) {
        String v = required(field, value).trim();
        if (v.length() > 35 || !LOCALE.matcher(v).matches()) {
            throw new InvalidInputException(field, field + " must be a language tag such as fr or pt-BR");
        }
        String canonical = java.util.Locale.forLanguageTag(v).toLanguageTag();
        if (!canonical.equalsIgnoreCase(v)) {
            throw new InvalidInputException(field, field + " must be a language tag such as fr or pt-BR");
        }
        return canonical;
    }

    public static String maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field, field + " must be at most " + max + " characters");
        }
        return value;
    }
}
