package dev.tandem.render;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.validation.InvalidInputException;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps every SMS within {@code maxSmsSegments}, short link included. A campaign is checked when it is
 * defined, with every value at its budget: contact attributes up to {@value #ATTRIBUTE_BUDGET} characters,
 * the last email's subject and a reply up to {@value #TEXT_BUDGET}, the link at its full length. When an
 * actual SMS would run over, its values are cut to those budgets and written in the GSM alphabet, so the
 * SMS that goes out never exceeds what the definition was checked for.
 */
public final class SmsBudget {
    public static final int ATTRIBUTE_BUDGET = 20;
    public static final int TEXT_BUDGET = 60;

    private SmsBudget() {
    }

    /**
     * Refuses an SMS template that could exceed the policy's segments, naming the template; each of its locales is
     * checked too, an error naming {@code locales.TAG.body}. The last email's subject is taken in each language the
     * email speaks, since a contact may get the email in one and the SMS in another.
     */
    public static void check(String field, MessageTemplate sms, Campaign campaign, MessageTemplate email,
                             ContactPolicy policy, int linkLength) {
        Set<String> subjects = new java.util.LinkedHashSet<>();
        if (email == null) {
            subjects.add(null);
        } else {
            Renderer.Compiled compiled = Renderer.compile(email);
            subjects.add(worstSubject(compiled, campaign, linkLength));
            for (Renderer.Compiled locale : compiled.locales().values()) {
                subjects.add(worstSubject(locale, campaign, linkLength));
            }
        }
        Renderer.Compiled compiled = Renderer.compile(sms);
        checkOne(field, "template " + sms.id(), compiled, subjects, campaign, policy, linkLength);
        compiled.locales().forEach((locale, text) -> checkOne("locales." + locale + ".body",
                "template " + sms.id() + " in locale " + locale, text, subjects, campaign, policy, linkLength));
    }

    private static String worstSubject(Renderer.Compiled email, Campaign campaign, int linkLength) {
        return fit(email.render(worstCase(campaign, null, linkLength)).subject(), TEXT_BUDGET);
    }

    private static void checkOne(String field, String what, Renderer.Compiled sms, Set<String> subjects, Campaign campaign,
                                 ContactPolicy policy, int linkLength) {
        for (String subject : subjects) {
            int segments = SmsSegments.count(sms.render(worstCase(campaign, subject, linkLength)).body());
            if (segments > policy.maxSmsSegments()) {
                throw new InvalidInputException(field, what + " can take " + segments
                        + " SMS segments with its values at their budgets, over maxSmsSegments " + policy.maxSmsSegments());
            }
        }
    }

    private static Map<String, Object> worstCase(Campaign campaign, String subject, int linkLength) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("contact", new Placeholders("X".repeat(ATTRIBUTE_BUDGET)));
        Map<String, Object> camp = new LinkedHashMap<>();
        camp.put("id", campaign.id());
        if (campaign.topic() != null) {
            camp.put("topic", campaign.topic());
        }
        ctx.put("campaign", camp);
        ctx.put("lastEmail", Map.of("subject", subject == null ? "X".repeat(TEXT_BUDGET) : subject));
        ctx.put("lastSms", Map.of("text", "X".repeat(TEXT_BUDGET)));
        ctx.put("reply", Map.of("text", "X".repeat(TEXT_BUDGET)));
        ctx.put("link", "X".repeat(linkLength));
        return ctx;
    }

    /**
     * The SMS as it will go out: rendered as is when it fits, else with its values cut to their budgets
     * and written in the GSM alphabet.
     */
    public static String render(Renderer.Compiled sms, Map<String, Object> context, int maxSegments) {
        String text = sms.render(context).body();
        if (SmsSegments.count(text) <= maxSegments) {
            return text;
        }
        return sms.render(clamp(context)).body();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> clamp(Map<String, Object> context) {
        Map<String, Object> out = new LinkedHashMap<>(context);
        Object contact = context.get("contact");
        if (contact instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> c.put(k, v instanceof String s ? fit(gsm(s), ATTRIBUTE_BUDGET) : v));
            out.put("contact", c);
        }
        for (String key : List.of("lastEmail", "lastSms", "reply")) {
            Object v = context.get(key);
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> c = new LinkedHashMap<>();
                ((Map<String, Object>) m).forEach((k, val) -> c.put(k, val instanceof String s ? fit(gsm(s), TEXT_BUDGET) : val));
                out.put(key, c);
            }
        }
        return out;
    }

    static String fit(String s, int budget) {
        if (s == null || s.length() <= budget) {
            return s;
        }
        return s.substring(0, budget - 3) + "...";
    }

    /** Accents dropped and other characters outside GSM-7 replaced, so a name cannot switch an SMS to UCS-2. */
    static String gsm(String s) {
        String plain = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        StringBuilder b = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            b.append(SmsSegments.isGsm(c) && "^{}\\[~]|€\f".indexOf(c) < 0 ? c : '?');
        }
        return b.toString();
    }

    /** A map that answers every key with the same placeholder: any {@code contact.*} at its budget. */
    private static final class Placeholders extends AbstractMap<String, Object> {
        private final String value;

        Placeholders(String value) {
            this.value = value;
        }

        @Override
        public Object get(Object key) {
            return value;
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }
    }
}
