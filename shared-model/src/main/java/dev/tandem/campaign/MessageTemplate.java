package dev.tandem.campaign;

import dev.tandem.contact.Channel;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Mustache template for one channel: a subject and an HTML body for email, a text body for SMS; and the same in
 * other languages, by language tag ({@code locales}). A contact's {@code locale} picks one ({@link #localeFor}).
 */
public record MessageTemplate(String id, Channel channel, String subject, String body, Map<String, Text> locales) {
    public static final int MAX_BODY = 100_000;
    public static final int MAX_LOCALES = 50;
    private static final Set<String> FIELDS = Set.of("channel", "subject", "body", "locales");

    /** One language's text: the subject (email only) and the body. */
    public record Text(String subject, String body) {
    }

    public MessageTemplate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(body, "body");
        locales = locales == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(locales));
    }

    public MessageTemplate(String id, Channel channel, String subject, String body) {
        this(id, channel, subject, body, Map.of());
    }

    /** Reads and checks a template definition; the Mustache must compile, its locales' included. */
    public static MessageTemplate from(String id, Object raw) {
        Checks.id("id", id);
        if (!(raw instanceof Map<?, ?> m)) {
            throw new InvalidInputException("", "a template must be an object with channel and body");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException(String.valueOf(k), "unknown template field " + k);
            }
        }
        Channel channel = Channel.parse("channel", Checks.string(m, "channel"));
        Text own = text(m, channel, "");
        MessageTemplate t = new MessageTemplate(id, channel, own.subject(), own.body(), locales(m.get("locales"), channel));
        dev.tandem.render.Renderer.compile(t);
        return t;
    }

    private static Text text(Map<?, ?> m, Channel channel, String prefix) {
        String body = Checks.maxLength(prefix + "body", Checks.required(prefix + "body", Checks.string(m, "body", prefix + "body")), MAX_BODY);
        String subject = Checks.string(m, "subject", prefix + "subject");
        if (channel == Channel.EMAIL) {
            Checks.maxLength(prefix + "subject", Checks.required(prefix + "subject", subject), 998);
        } else if (subject != null) {
            throw new InvalidInputException(prefix + "subject", "an SMS template has no subject");
        }
        return new Text(subject, body);
    }

    /** {@code "locales": {"fr": {"subject": ..., "body": ...}}}: keys are language tags, kept in their canonical case. */
    private static Map<String, Text> locales(Object raw, Channel channel) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw new InvalidInputException("locales", "locales must be an object of texts by language tag, such as {\"fr\": {...}}");
        }
        if (m.size() > MAX_LOCALES) {
            throw new InvalidInputException("locales", "a template has at most " + MAX_LOCALES + " locales");
        }
        Map<String, Text> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            String field = "locales." + key;
            String tag = Checks.locale(field, key);
            Map<?, ?> one = Checks.object(field, e.getValue(), "locale",
                    channel == Channel.EMAIL ? java.util.List.of("subject", "body") : java.util.List.of("body"));
            if (out.put(tag, text(one, channel, field + ".")) != null) {
                throw new InvalidInputException(field, "locales names " + tag + " twice");
            }
        }
        return out;
    }

    /**
     * The locale this template speaks to a contact of language tag {@code tag}: the same tag (whatever its case), else
     * its language ({@code fr} for {@code fr-CA}); null for the template's own text.
     */
    public String localeFor(String tag) {
        if (tag == null || locales.isEmpty()) {
            return null;
        }
        String language = tag.split("-", 2)[0];
        String byLanguage = null;
        for (String key : locales.keySet()) {
            if (key.equalsIgnoreCase(tag)) {
                return key;
            }
            if (key.equalsIgnoreCase(language)) {
                byLanguage = key;
            }
        }
        return byLanguage;
    }

    /** The template in one of its locales, as a template of its own; the template itself for null. */
    public MessageTemplate in(String locale) {
        if (locale == null) {
            return this;
        }
        Text t = locales.get(locale);
        if (t == null) {
            throw new IllegalArgumentException("template " + id + " has no locale " + locale);
        }
        return new MessageTemplate(id, channel, t.subject(), t.body());
    }

    /** A stored template as it was accepted: read, not checked again (a template that cannot render fails its message). */
    public static MessageTemplate restore(String id, Map<String, Object> stored) {
        Object channel = stored.get("channel");
        Map<String, Text> locales = new LinkedHashMap<>();
        if (stored.get("locales") instanceof Map<?, ?> ls) {
            ls.forEach((k, v) -> {
                if (v instanceof Map<?, ?> t) {
                    locales.put(String.valueOf(k), new Text(string(t.get("subject")), String.valueOf(t.get("body"))));
                }
            });
        }
        return new MessageTemplate(id, Channel.parse("channel", channel == null ? null : String.valueOf(channel)),
                string(stored.get("subject")), stored.get("body") == null ? "" : String.valueOf(stored.get("body")), locales);
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", channel.wire());
        if (subject != null) {
            m.put("subject", subject);
        }
        m.put("body", body);
        if (!locales.isEmpty()) {
            Map<String, Object> ls = new LinkedHashMap<>();
            locales.forEach((k, t) -> {
                Map<String, Object> one = new LinkedHashMap<>();
                if (t.subject() != null) {
                    one.put("subject", t.subject());
                }
                one.put("body", t.body());
                ls.put(k, one);
            });
            m.put("locales", ls);
        }
        return m;
    }
}
