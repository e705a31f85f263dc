package dev.tandem.out;

import dev.tandem.timeline.TimelineEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records Tandem publishes (docs/events-out.md): one per timeline event and one per decision, each with an
 * {@code id} that names what it records, so a consumer given a record twice (streams and buses deliver at least once)
 * drops the second. Absent fields are left out.
 */
public final class OutRecords {
    public static final String EVENT = "event";
    public static final String DECISION = "decision";
    public static final String CONSENT = "consent";

    /**
     * What stays in the table and never goes out: a view code opens the email's web version to whoever holds it; the
     * address an email event names, the reader's IP address and user agent, and a bounce's diagnostic (a mail server's
     * text, which often quotes the address) are personal data no subscriber needs (the contact's id says whom).
     */
    public static final java.util.Set<String> WITHHELD = java.util.Set.of("viewCode", "address", "ip", "userAgent", "diagnostic");

    private OutRecords() {
    }

    /** The record of a timeline event: its id is the contact's and the event's. */
    public static Map<String, Object> event(TimelineEvent e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "event:" + e.contactId() + ":" + e.eventId());
        r.put("kind", EVENT);
        r.put("type", e.type());
        r.put("contact", e.contactId());
        put(r, "campaign", e.campaign());
        put(r, "step", e.step());
        e.channel().ifPresent(c -> r.put("channel", c.wire()));
        r.put("at", e.at().toString());
        r.put("eventId", e.eventId());
        put(r, "messageId", e.messageId());
        Map<String, Object> data = new LinkedHashMap<>(e.data());
        WITHHELD.forEach(data::remove);
        if (!data.isEmpty()) {
            r.put("data", data);
        }
        return r;
    }

    /**
     * The records of the decision lines a write added to a run's history: the lines of {@code after} past the
     * {@code before} count. A line's id is its run's and its place in the history, which never changes: history is
     * only ever appended to.
     *
     * @param before how many lines the run's history held before the write (0 for a new run)
     * @param after  the history after the write, each line as the run keeps it (docs/scenarios.md's decision line)
     */
    public static List<Map<String, Object>> decisions(String contact, String campaign, String occurrence, int before,
                                                      List<Map<String, Object>> after) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = Math.max(0, before); i < after.size(); i++) {
            Map<String, Object> line = after.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            String action = string(line, "action");
            if (action == null || line.get("at") == null) {
                throw new IllegalArgumentException("decision line " + i + " of run " + contact + "/" + campaign + "/"
                        + occurrence + " has no " + (action == null ? "action" : "at"));
            }
            r.put("id", "decision:" + contact + ":" + campaign + ":" + occurrence + ":" + i);
            r.put("kind", DECISION);
            r.put("type", DECISION + "." + action);
            r.put("contact", contact);
            r.put("campaign", campaign);
            put(r, "step", string(line, "step"));
            put(r, "channel", string(line, "channel"));
            r.put("at", string(line, "at"));
            r.put("action", action);
            put(r, "variant", string(line, "variant"));
            put(r, "reason", string(line, "reason"));
            put(r, "until", string(line, "until"));
            put(r, "rule", string(line, "rule"));
            put(r, "subject", string(line, "subject"));
            put(r, "text", string(line, "text"));
            r.put("occurrence", occurrence);
            out.add(r);
        }
        return out;
    }

    /**
     * The record of a contact's erasure ({@code DELETE /contacts/{id}}): what subscribers act on to erase the contact
     * downstream. {@code change} is the id of the table's change that removed the profile, the same on every delivery.
     */
    public static Map<String, Object> erased(String contact, String change, java.time.Instant at) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "erased:" + contact + ":" + change);
        r.put("kind", EVENT);
        r.put("type", "contact.erased");
        r.put("contact", contact);
        r.put("at", at.toString());
        return r;
    }

    /**
     * The record of a line of a contact's consent history ({@code consent.changed}): its channel, status, source, time and
     * evidence, less the IP address and user agent. {@code key} is the line's key in the contact's history, which names
     * the change and is the same however often it is written.
     */
    public static Map<String, Object> consent(String contact, String key, dev.tandem.contact.ConsentEntry e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", CONSENT + ":" + contact + ":" + key);
        r.put("kind", CONSENT);
        r.put("type", "consent.changed");
        r.put("contact", contact);
        r.put("channel", e.channel().wire());
        r.put("at", e.at().toString());
        r.put("status", e.status());
        r.put("source", e.source());
        Map<String, Object> evidence = new LinkedHashMap<>(e.evidence());
        WITHHELD.forEach(evidence::remove);
        if (!evidence.isEmpty()) {
            r.put("evidence", evidence);
        }
        return r;
    }

    private static String string(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : String.valueOf(v);
    }

    private static void put(Map<String, Object> r, String k, Object v) {
        if (v != null) {
            r.put(k, v);
        }
    }
}
