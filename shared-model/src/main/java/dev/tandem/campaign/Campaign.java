package dev.tandem.campaign;

import dev.tandem.contact.Channel;
import dev.tandem.decide.Links;
import dev.tandem.render.SmsBudget;
import dev.tandem.timeline.EventType;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A campaign: its topic, its playbook with its parameters, optional triggers, and what ends a contact's
 * run of it ({@code exitOn}, default {@code ["conversion"]}).
 */
public record Campaign(
        String id,
        String topic,
        Playbook playbook,
        String emailTemplate,
        String smsTemplate,
        Duration followUpAfter,
        Duration detailAfter,
        boolean urgent,
        ClickNoConversion clickNoConversion,
        SmsReply smsReply,
        List<String> exitOn,
        String link,
        boolean transactional,
        Recurrence recurring,
        dev.tandem.experiment.Experiment experiment,
        dev.tandem.experiment.Goal goal) {

    /** The campaign Tandem keeps for SMS double opt-in confirmations (docs/consent.md); no one can define one with its id. */
    public static final String SMS_OPT_IN = "tandem-sms-opt-in";
    public static final Duration DEFAULT_FOLLOW_UP = Duration.ofHours(24);
    public static final Duration DEFAULT_DETAIL = Duration.ofHours(1);
    public static final Duration DEFAULT_CLICK_AFTER = Duration.ofDays(1);
    private static final Set<String> FIELDS = Set.of("topic", "playbook", "email", "sms", "followUpAfter", "detailAfter",
            "urgent", "triggers", "exitOn", "link", "transactional", "recurring", "experiment", "goal");

    public Campaign {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(playbook, "playbook");
        exitOn = exitOn == null ? List.of(EventType.CONVERSION.wire()) : List.copyOf(exitOn);
    }

    /**
     * The campaign that sends a double opt-in's one confirmation: the policy's {@code smsOptInTemplate}, transactional
     * (it answers the contact's own request), ended by nothing but its send.
     */
    public static Campaign smsOptIn(String smsTemplate) {
        return new Campaign(SMS_OPT_IN, "SMS opt-in", Playbook.SMS_FIRST, null, smsTemplate, DEFAULT_FOLLOW_UP, DEFAULT_DETAIL,
                false, null, null, List.of(), null, true, null, null, null);
    }

    /** The SMS nudge after a click with no conversion. */
    public record ClickNoConversion(String smsTemplate, Duration after) {
    }

    /** The email answer to an SMS reply. */
    public record SmsReply(String emailTemplate) {
    }

    /** The template a step sends, by step name. */
    public String templateFor(String step, Channel channel) {
        return switch (step) {
            case Steps.CLICK_NO_CONVERSION -> clickNoConversion == null ? null : clickNoConversion.smsTemplate();
            case Steps.SMS_REPLY -> smsReply == null ? null : smsReply.emailTemplate();
            default -> channel == Channel.EMAIL ? emailTemplate : smsTemplate;
        };
    }

    /**
     * Reads and checks a campaign definition against the templates it names and the contact policy: every
     * template must exist and be of the right channel, and every SMS must fit {@code maxSmsSegments}.
     */
    public static Campaign from(String id, Object raw, Function<String, MessageTemplate> templates,
                                ContactPolicy policy, int linkLength) {
        if (SMS_OPT_IN.equals(id)) {
            throw new InvalidInputException("id", "campaign id " + SMS_OPT_IN + " is Tandem's own, for SMS double opt-in; choose another");
        }
        Campaign c = parse(id, raw);
        c.check(templates, policy, linkLength);
        return c;
    }

    /**
     * A stored definition as it was accepted: its shape is read, and nothing is checked again against today's
     * templates or policy. A change that would make a stored campaign invalid is refused when it is made
     * ({@link #check}); a template that still fails at send time fails that one message, not the reading.
     */
    public static Campaign restore(String id, Map<String, Object> stored) {
        return parse(id, stored);
    }

    /**
     * Checks the campaign against templates and a policy, naming the field of the first problem: each template it
     * names exists and is of its channel, and every SMS it can send fits {@code maxSmsSegments}.
     */
    public void check(Function<String, MessageTemplate> templates, ContactPolicy policy, int linkLength) {
        if (experiment != null) {
            for (int i = 0; i < experiment.variants().size(); i++) {
                Campaign v = forVariant(experiment.variants().get(i).id());
                if (v != this) {
                    try {
                        v.checkOwn(templates, policy, linkLength);
                    } catch (InvalidInputException e) {
                        throw new InvalidInputException("experiment.variants[" + i + "]." + e.field(), "variant "
                                + experiment.variants().get(i).id() + ": " + e.getMessage());
                    }
                }
            }
        }
        checkOwn(templates, policy, linkLength);
    }

    private void checkOwn(Function<String, MessageTemplate> templates, ContactPolicy policy, int linkLength) {
        MessageTemplate emailT = emailTemplate == null ? null : template("email", emailTemplate, Channel.EMAIL, templates);
        MessageTemplate smsT = smsTemplate == null ? null : template("sms", smsTemplate, Channel.SMS, templates);
        MessageTemplate clickT = clickNoConversion == null ? null
                : template("triggers.clickNoConversion.sms", clickNoConversion.smsTemplate(), Channel.SMS, templates);
        if (smsReply != null) {
            template("triggers.smsReply.email", smsReply.emailTemplate(), Channel.EMAIL, templates);
        }
        // Every SMS this campaign can send must fit the policy, whatever the contact's values (up to their budgets).
        if (smsT != null) {
            SmsBudget.check("sms", smsT, this, emailT, policy, linkLength);
        }
        if (clickT != null) {
            SmsBudget.check("triggers.clickNoConversion.sms", clickT, this, emailT, policy, linkLength);
        }
    }

    /** Every template id the campaign names, on any step or trigger, its variants' included. */
    public Set<String> templateIds() {
        Set<String> ids = new java.util.LinkedHashSet<>();
        if (experiment != null) {
            for (dev.tandem.experiment.Experiment.Variant v : experiment.variants()) {
                for (String k : List.of("email", "sms")) {
                    if (v.overrides().get(k) instanceof String t) {
                        ids.add(t);
                    }
                }
            }
        }
        if (emailTemplate != null) {
            ids.add(emailTemplate);
        }
        if (smsTemplate != null) {
            ids.add(smsTemplate);
        }
        if (clickNoConversion != null) {
            ids.add(clickNoConversion.smsTemplate());
        }
        if (smsReply != null) {
            ids.add(smsReply.emailTemplate());
        }
        return ids;
    }

    /** The definition's shape: fields, playbook, parameters, triggers, exitOn, link. */
    private static Campaign parse(String id, Object raw) {
        Checks.id("id", id);
        if (!(raw instanceof Map<?, ?> m)) {
            throw new InvalidInputException("", "a campaign must be an object");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException(String.valueOf(k), "unknown campaign field " + k);
            }
        }
        String topic = Checks.maxLength("topic", Checks.string(m, "topic"), 200);
        Playbook playbook = Playbook.parse("playbook", m.get("playbook"));
        String email = Checks.string(m, "email");
        String sms = Checks.string(m, "sms");
        switch (playbook) {
            case EMAIL_FIRST, SMS_FIRST -> {
                Checks.required("email", email);
                Checks.required("sms", sms);
            }
            case BEST_CHANNEL -> {
                if (email == null && sms == null) {
                    throw new InvalidInputException("email", "a best-channel campaign needs an email template, an sms template or both");
                }
            }
            default -> {
            }
        }
        Duration followUp = duration(m, "followUpAfter", DEFAULT_FOLLOW_UP);
        Duration detail = duration(m, "detailAfter", DEFAULT_DETAIL);
        if (playbook != Playbook.EMAIL_FIRST && m.containsKey("followUpAfter")) {
            throw new InvalidInputException("followUpAfter", "followUpAfter belongs to the email-first playbook");
        }
        if (playbook != Playbook.SMS_FIRST && m.containsKey("detailAfter")) {
            throw new InvalidInputException("detailAfter", "detailAfter belongs to the sms-first playbook");
        }
        Object urgentRaw = m.get("urgent");
        if (urgentRaw != null && !(urgentRaw instanceof Boolean)) {
            throw new InvalidInputException("urgent", "urgent must be true or false");
        }
        if (playbook != Playbook.BEST_CHANNEL && urgentRaw != null) {
            throw new InvalidInputException("urgent", "urgent belongs to the best-channel playbook");
        }
        ClickNoConversion click = null;
        SmsReply reply = null;
        Object triggers = m.get("triggers");
        if (triggers != null) {
            if (!(triggers instanceof Map<?, ?> t)) {
                throw new InvalidInputException("triggers", "triggers must be an object");
            }
            for (Object k : t.keySet()) {
                if (!Set.of("clickNoConversion", "smsReply").contains(String.valueOf(k))) {
                    throw new InvalidInputException("triggers." + k, "unknown trigger " + k + "; use clickNoConversion or smsReply");
                }
            }
            if (t.get("clickNoConversion") != null) {
                Map<?, ?> c = object(t.get("clickNoConversion"), "triggers.clickNoConversion");
                String tid = Checks.required("triggers.clickNoConversion.sms", Checks.string(c, "sms", "triggers.clickNoConversion.sms"));
                Object after = c.get("after");
                click = new ClickNoConversion(tid, after == null ? DEFAULT_CLICK_AFTER
                        : Checks.duration("triggers.clickNoConversion.after", String.valueOf(after)));
            }
            if (t.get("smsReply") != null) {
                Map<?, ?> r = object(t.get("smsReply"), "triggers.smsReply");
                String tid = Checks.required("triggers.smsReply.email", Checks.string(r, "email", "triggers.smsReply.email"));
                reply = new SmsReply(tid);
            }
        }
        List<String> exitOn = null;
        Object exit = m.get("exitOn");
        if (exit != null) {
            if (!(exit instanceof List<?> l)) {
                throw new InvalidInputException("exitOn", "exitOn must be an array of event types");
            }
            exitOn = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                Object v = l.get(i);
                if (!(v instanceof String s) || EventType.of(s).isEmpty()) {
                    throw new InvalidInputException("exitOn[" + i + "]", "exitOn[" + i + "] is not an event type: " + v);
                }
                exitOn.add(s);
            }
        }
        String link = Checks.string(m, "link");
        if (link != null && !Links.isWebUrl(link)) {
            throw new InvalidInputException("link", "link must be an http or https URL");
        }
        Object tr = m.get("transactional");
        if (tr != null && !(tr instanceof Boolean)) {
            throw new InvalidInputException("transactional", "transactional must be true or false");
        }
        Recurrence recurring = m.get("recurring") == null ? null : Recurrence.parse(m.get("recurring"));
        dev.tandem.experiment.Experiment experiment = m.get("experiment") == null ? null
                : dev.tandem.experiment.Experiment.parse("experiment", m.get("experiment"));
        dev.tandem.experiment.Goal goal = m.get("goal") == null ? null : dev.tandem.experiment.Goal.parse("goal", m.get("goal"));
        Campaign c = new Campaign(id, topic, playbook, email, sms, followUp, detail, Boolean.TRUE.equals(urgentRaw),
                click, reply, exitOn, link, Boolean.TRUE.equals(tr), recurring, experiment, goal);
        if (experiment != null) {
            // Each variant must make a campaign on its own: its playbook with the parameters and templates it needs.
            for (int i = 0; i < experiment.variants().size(); i++) {
                try {
                    c.forVariant(experiment.variants().get(i).id());
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("experiment.variants[" + i + "]." + e.field(), "variant "
                            + experiment.variants().get(i).id() + ": " + e.getMessage());
                }
            }
        }
        return c;
    }

    /** The group a contact is in: null without an experiment, else {@code holdout} or a variant's id. */
    public String groupOf(String contactId) {
        return experiment == null ? null : experiment.assign(id, contactId);
    }

    /**
     * The campaign a variant's contacts get: this one with the variant's playbook, parameters and templates. The holdout
     * and an unknown id get this one as it is.
     */
    public Campaign forVariant(String variantId) {
        dev.tandem.experiment.Experiment.Variant v = experiment == null ? null : experiment.variant(variantId);
        if (v == null || v.overrides().isEmpty()) {
            return this;
        }
        Map<String, Object> m = new LinkedHashMap<>(toMap());
        if (v.overrides().containsKey("playbook") && !playbook.wire().equals(v.overrides().get("playbook"))) {
            // Another playbook: the base's parameters of its own playbook do not carry over.
            m.remove("followUpAfter");
            m.remove("detailAfter");
            m.remove("urgent");
        }
        m.putAll(v.overrides());
        m.remove("experiment");
        m.remove("goal");
        Campaign base = parse(id, m);
        return new Campaign(id, base.topic, base.playbook, base.emailTemplate, base.smsTemplate, base.followUpAfter,
                base.detailAfter, base.urgent, base.clickNoConversion, base.smsReply, base.exitOn, base.link,
                base.transactional, base.recurring, experiment, goal);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (topic != null) {
            m.put("topic", topic);
        }
        m.put("playbook", playbook.wire());
        if (emailTemplate != null) {
            m.put("email", emailTemplate);
        }
        if (smsTemplate != null) {
            m.put("sms", smsTemplate);
        }
        if (playbook == Playbook.EMAIL_FIRST) {
            m.put("followUpAfter", followUpAfter.toString());
        }
        if (playbook == Playbook.SMS_FIRST) {
            m.put("detailAfter", detailAfter.toString());
        }
        if (playbook == Playbook.BEST_CHANNEL) {
            m.put("urgent", urgent);
        }
        Map<String, Object> triggers = new LinkedHashMap<>();
        if (clickNoConversion != null) {
            triggers.put("clickNoConversion", Map.of("sms", clickNoConversion.smsTemplate(), "after", clickNoConversion.after().toString()));
        }
        if (smsReply != null) {
            triggers.put("smsReply", Map.of("email", smsReply.emailTemplate()));
        }
        if (!triggers.isEmpty()) {
            m.put("triggers", triggers);
        }
        m.put("exitOn", exitOn);
        if (link != null) {
            m.put("link", link);
        }
        if (transactional) {
            m.put("transactional", true);
        }
        if (recurring != null) {
            m.put("recurring", recurring.toMap());
        }
        if (experiment != null) {
            m.put("experiment", experiment.toMap());
        }
        if (goal != null) {
            m.put("goal", goal.toMap());
        }
        return m;
    }

    private static MessageTemplate template(String field, String id, Channel channel, Function<String, MessageTemplate> templates) {
        MessageTemplate t = templates.apply(id);
        if (t == null) {
            throw new InvalidInputException(field, "unknown template " + id);
        }
        if (t.channel() != channel) {
            throw new InvalidInputException(field, "template " + id + " is an " + t.channel().wire()
                    + " template; " + field + " needs an " + channel.wire() + " template");
        }
        return t;
    }

    private static Duration duration(Map<?, ?> m, String key, Duration fallback) {
        Object v = m.get(key);
        return v == null ? fallback : Checks.duration(key, String.valueOf(v));
    }

    private static Map<?, ?> object(Object v, String field) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidInputException(field, field + " must be an object");
        }
        return m;
    }
}
