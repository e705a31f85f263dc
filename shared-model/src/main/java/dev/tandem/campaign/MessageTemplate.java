package dev.tandem.campaign;

import dev.tandem.contact.Channel;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A Mustache template for one channel: a subject and an HTML body for email, a text body for SMS. */
public record MessageTemplate(String id, Channel channel, String subject, String body) {
    public static final int MAX_BODY = 100_000;
    private static final Set<String> FIELDS = Set.of("channel", "subject", "body");

    public MessageTemplate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(body, "body");
    }

    /** Reads and checks a template definition; the Mustache must compile. */
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
        String body = Checks.maxLength("body", Checks.required("body", Checks.string(m, "body")), MAX_BODY);
        String subject = Checks.string(m, "subject");
        if (channel == Channel.EMAIL) {
            Checks.maxLength("subject", Checks.required("subject", subject), 998);
        } else if (subject != null) {
            throw new InvalidInputException("subject", "an SMS template has no subject");
        }
        MessageTemplate t = new MessageTemplate(id, channel, subject, body);
        dev.tandem.render.Renderer.compile(t);
        return t;
    }

    /** A stored template as it was accepted: read, not checked again (a template that cannot render fails its message). */
    public static MessageTemplate restore(String id, Map<String, Object> stored) {
        Object channel = stored.get("channel");
        Object body = stored.get("body");
        Object subject = stored.get("subject");
        return new MessageTemplate(id, Channel.parse("channel", channel == null ? null : String.valueOf(channel)),
                subject == null ? null : String.valueOf(subject), body == null ? "" : String.valueOf(body));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", channel.wire());
        if (subject != null) {
            m.put("subject", subject);
        }
        m.put("body", body);
        return m;
    }
}
