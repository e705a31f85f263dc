package dev.tandem.api;

import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Consent;
import dev.tandem.contact.Contact;
import dev.tandem.timeline.TimelineEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Domain objects as the JSON the API returns. */
final class Views {
    private Views() {
    }

    static Map<String, Object> contact(Contact c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        if (c.email() != null) {
            out.put("email", c.email());
        }
        if (c.phone() != null) {
            out.put("phone", c.phone());
        }
        out.put("timezone", c.zone().getId());
        if (c.locale() != null) {
            out.put("locale", c.locale());
        }
        Map<String, Object> consent = new LinkedHashMap<>();
        Map<String, Object> channels = new LinkedHashMap<>();
        for (Channel ch : Channel.values()) {
            Consent k = c.consent().get(ch);
            if (k != null) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("status", k.status().wire());
                one.put("source", k.source());
                one.put("at", k.at().toString());
                if (!k.evidence().isEmpty()) {
                    one.put("evidence", k.evidence());
                }
                consent.put(ch.wire(), one);
            }
            channels.put(ch.wire(), channel(c, ch));
        }
        out.put("consent", consent);
        out.put("channels", channels);
        out.put("attributes", c.attributes());
        out.put("createdAt", c.createdAt().toString());
        out.put("updatedAt", c.updatedAt().toString());
        return out;
    }

    private static Map<String, Object> channel(Contact c, Channel ch) {
        Map<String, Object> out = new LinkedHashMap<>();
        ChannelState st = c.stateOf(ch);
        boolean hasAddress = c.address(ch).isPresent();
        out.put("status", hasAddress ? st.status().wire() : "unreachable");
        if (!hasAddress) {
            out.put("reason", "no " + (ch == Channel.EMAIL ? "email address" : "phone number"));
        } else if (st.reason() != null) {
            out.put("reason", st.reason());
        }
        if (st.at() != null) {
            out.put("at", st.at().toString());
        }
        out.put("consent", c.consentFor(ch).map(k -> k.status().wire()).orElse("none"));
        return out;
    }

    static Map<String, Object> event(TimelineEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", e.eventId());
        out.put("type", e.type());
        out.put("at", e.at().toString());
        e.channel().ifPresent(ch -> out.put("channel", ch.wire()));
        if (e.campaign() != null) {
            out.put("campaign", e.campaign());
        }
        if (e.step() != null) {
            out.put("step", e.step());
        }
        if (e.messageId() != null) {
            out.put("messageId", e.messageId());
        }
        out.putAll(e.data());
        return out;
    }

    static List<Map<String, Object>> events(List<TimelineEvent> events) {
        return events.stream().map(Views::event).toList();
    }
}
