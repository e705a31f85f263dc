package dev.tandem.decide;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One decision as users read it (docs/scenarios.md): when, whom, which campaign and step, what was done on
 * which channel, and why. {@code text} is present on SMS, {@code subject} on emails; {@code variant} on a campaign with an
 * experiment (a variant's id, or {@code holdout}).
 */
public record DecisionLine(Instant at, String contact, String campaign, String step, String action, String channel,
                           String text, String subject, Instant until, String reason, String rule, String variant) {

    public static DecisionLine of(Instant at, Run run, Decision d) {
        String channel = d.channel() == null ? null : d.channel().wire();
        String text = null;
        String subject = null;
        if (d.content() != null) {
            if (d.channel() == dev.tandem.contact.Channel.SMS) {
                text = d.content().body();
            } else {
                subject = d.content().subject();
            }
        }
        return new DecisionLine(at, run.contactId(), run.campaign(), d.step(), d.action().wire(), channel, text, subject,
                d.until(), d.reason() == null ? null : d.reason().wire(), d.rule(), d.variant());
    }

    /** The line as JSON fields, in the contract's order, absent fields left out. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at.toString());
        m.put("contact", contact);
        m.put("campaign", campaign);
        m.put("step", step);
        m.put("action", action);
        if (variant != null) {
            m.put("variant", variant);
        }
        if (channel != null) {
            m.put("channel", channel);
        }
        if (subject != null) {
            m.put("subject", subject);
        }
        if (text != null) {
            m.put("text", text);
        }
        if (until != null) {
            m.put("until", until.toString());
        }
        if (reason != null) {
            m.put("reason", reason);
        }
        if (rule != null) {
            m.put("rule", rule);
        }
        return m;
    }
}
