package dev.tandem.aws.store;

import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Consent;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;
import dev.tandem.contact.Reachability;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.tandem.aws.store.AttributeValues.m;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;

/** The profile item: one mapper, both ways. */
final class ContactItems {
    static final String TYPE = "contact";

    private ContactItems() {
    }

    static Map<String, AttributeValue> consentValue(Consent c) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("status", s(c.status().wire()));
        m.put("source", s(c.source()));
        m.put("at", s(c.at().toString()));
        if (!c.evidence().isEmpty()) {
            m.put("evidence", AttributeValues.of(c.evidence()));
        }
        return m;
    }

    static final String HISTORY_TYPE = "consent";

    /** A consent history line as its own item of the contact, with no expiry. */
    static Map<String, AttributeValue> historyItem(String contactId, dev.tandem.contact.ConsentEntry e) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(Keys.PK, s(Keys.contact(contactId)));
        item.put(Keys.SK, s(Keys.consent(e)));
        item.put(Keys.TYPE, s(HISTORY_TYPE));
        item.put("channel", s(e.channel().wire()));
        item.put("status", s(e.status()));
        item.put("source", s(e.source()));
        item.put("at", s(e.at().toString()));
        if (!e.evidence().isEmpty()) {
            item.put("evidence", AttributeValues.of(e.evidence()));
        }
        return item;
    }

    static dev.tandem.contact.ConsentEntry historyFrom(Map<String, AttributeValue> item) {
        return new dev.tandem.contact.ConsentEntry(Channel.parse("channel", string(item, "channel")), string(item, "status"),
                string(item, "source"), Instant.parse(string(item, "at")), evidence(item.get("evidence")));
    }

    private static Map<String, String> evidence(AttributeValue v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null && v.hasM()) {
            v.m().forEach((k, x) -> out.put(k, x.s()));
        }
        return out;
    }

    static Map<String, AttributeValue> stateValue(ChannelState st) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("status", s(st.status().wire()));
        if (st.reason() != null) {
            m.put("reason", s(st.reason()));
        }
        if (st.at() != null) {
            m.put("at", s(st.at().toString()));
        }
        return m;
    }

    static Map<String, AttributeValue> consentMap(Map<Channel, Consent> consent) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        consent.forEach((ch, c) -> m.put(ch.wire(), m(consentValue(c))));
        return m;
    }

    static Map<String, AttributeValue> stateMap(Map<Channel, ChannelState> states) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        states.forEach((ch, st) -> m.put(ch.wire(), m(stateValue(st))));
        return m;
    }

    static Contact fromItem(Map<String, AttributeValue> item) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        AttributeValue c = item.get("consent");
        if (c != null && c.hasM()) {
            c.m().forEach((ch, v) -> consent.put(Channel.parse("consent", ch), new Consent(
                    ConsentStatus.parse("consent", string(v.m(), "status")),
                    string(v.m(), "source"),
                    Instant.parse(string(v.m(), "at")),
                    evidence(v.m().get("evidence")))));
        }
        Map<Channel, ChannelState> states = new EnumMap<>(Channel.class);
        AttributeValue st = item.get("states");
        if (st != null && st.hasM()) {
            st.m().forEach((ch, v) -> {
                String at = string(v.m(), "at");
                states.put(Channel.parse("states", ch), new ChannelState(
                        Reachability.fromWire(string(v.m(), "status")),
                        string(v.m(), "reason"),
                        at == null ? null : Instant.parse(at)));
            });
        }
        AttributeValue attrs = item.get("attributes");
        String zone = string(item, "timezone");
        return new Contact(
                string(item, "id"),
                string(item, "email"),
                string(item, "phone"),
                zone == null ? null : ZoneId.of(zone),
                consent,
                states,
                attrs == null || !attrs.hasM() ? Map.of() : AttributeValues.toJava(attrs.m()),
                Instant.parse(string(item, "createdAt")),
                Instant.parse(string(item, "updatedAt")),
                string(item, "locale"));
    }

    /** The attributes a PUT writes; channel states are left to the providers' notifications. */
    static Map<String, AttributeValue> ownedByCaller(Contact c) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("email", c.email() == null ? null : s(c.email()));
        m.put("phone", c.phone() == null ? null : s(c.phone()));
        m.put("timezone", s(c.zone().getId()));
        m.put("locale", c.locale() == null ? null : s(c.locale()));
        m.put("attributes", AttributeValues.of(c.attributes()));
        m.put("updatedAt", s(c.updatedAt().toString()));
        return m;
    }
}
