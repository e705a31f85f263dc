package dev.tandem.render;

import dev.tandem.campaign.Campaign;
import dev.tandem.contact.Contact;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Mustache context (docs/campaigns.md): {@code contact} (its attributes, with id), {@code campaign}
 * (id, topic), {@code lastEmail} (subject), {@code lastSms} (text), {@code link} and {@code reply} (text).
 */
public final class MessageContext {
    private MessageContext() {
    }

    public static Map<String, Object> of(Contact contact, Campaign campaign, String lastEmailSubject, String lastSmsText,
                                         String link, String replyText) {
        Map<String, Object> ctx = of(contact);
        Map<String, Object> camp = new LinkedHashMap<>();
        camp.put("id", campaign.id());
        if (campaign.topic() != null) {
            camp.put("topic", campaign.topic());
        }
        ctx.put("campaign", camp);
        if (lastEmailSubject != null) {
            ctx.put("lastEmail", Map.of("subject", lastEmailSubject));
        }
        if (lastSmsText != null) {
            ctx.put("lastSms", Map.of("text", lastSmsText));
        }
        if (link != null) {
            ctx.put("link", link);
        }
        if (replyText != null) {
            ctx.put("reply", Map.of("text", replyText));
        }
        return ctx;
    }

    /** The context of a message outside any campaign (a test send): the contact alone. */
    public static Map<String, Object> of(Contact contact) {
        Map<String, Object> c = new LinkedHashMap<>(contact.attributes());
        c.put("id", contact.id());
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("contact", c);
        return ctx;
    }
}
