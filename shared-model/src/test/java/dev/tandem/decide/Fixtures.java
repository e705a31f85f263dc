package dev.tandem.decide;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.render.Renderer;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test-data builders for the decider: templates, campaigns, contacts and timelines. */
final class Fixtures {
    static final String BASE = "https://t.example.com";

    static final Map<String, MessageTemplate> TEMPLATES = new HashMap<>();

    static {
        template("winter-email", Map.of("channel", "email", "subject", "{{contact.firstName}}, your winter picks",
                "body", "<p>Hi {{contact.firstName}}{{^contact.firstName}}there{{/contact.firstName}}, "
                        + "{{#contact.recommendations}}{{name}} {{/contact.recommendations}}</p>"));
        template("winter-sms", Map.of("channel", "sms",
                "body", "{{contact.firstName}}, your {{campaign.topic}} picks are in your inbox: {{link}}"));
        template("flash-sms", Map.of("channel", "sms", "body", "Flash sale ends tonight: {{link}}"));
        template("flash-email", Map.of("channel", "email", "subject", "The details of tonight's sale",
                "body", "<p>Everything about {{campaign.topic}}.</p>"));
        template("nudge-sms", Map.of("channel", "sms", "body", "Still thinking about it? {{link}}"));
        template("answer-email", Map.of("channel", "email", "subject", "Re: your message",
                "body", "<p>You wrote: {{reply.text}}. Here is our answer.</p>"));
    }

    private static void template(String id, Map<String, Object> body) {
        TEMPLATES.put(id, MessageTemplate.from(id, body));
    }

    static Campaign campaign(String id, Map<String, Object> definition) {
        return campaign(id, definition, ContactPolicy.DEFAULT);
    }

    static Campaign campaign(String id, Map<String, Object> definition, ContactPolicy policy) {
        return Campaign.from(id, definition, TEMPLATES::get, policy, LinkMaker.lengthFor(BASE));
    }

    static Campaign emailFirst() {
        return campaign("winter", Map.of("topic", "Winter collection", "playbook", "email-first",
                "email", "winter-email", "sms", "winter-sms", "followUpAfter", "PT24H",
                "triggers", Map.of("clickNoConversion", Map.of("sms", "nudge-sms", "after", "P1D"),
                        "smsReply", Map.of("email", "answer-email"))));
    }

    static Campaign smsFirst() {
        return campaign("flash", Map.of("topic", "Flash sale", "playbook", "sms-first", "sms", "flash-sms",
                "email", "flash-email", "detailAfter", "PT1H", "link", "https://shop.example.com/flash"));
    }

    static Campaign bestChannel(boolean urgent) {
        return campaign("restock", Map.of("topic", "Back in stock", "playbook", "best-channel", "email", "flash-email",
                "sms", "flash-sms", "urgent", urgent));
    }

    static Contact contact(String id, Map<String, Object> body, Instant at) {
        return ContactDraft.from(id, body, "test", at).applyTo(null, at);
    }

    static Contact ana(Instant at) {
        return contact("c1", Map.of("email", "ana@example.com", "phone", "+14155550101", "timezone", "America/Los_Angeles",
                "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", Map.of("firstName", "Ana", "recommendations", List.of(Map.of("name", "Boots")))), at);
    }

    /** A timeline built event by event. */
    static final class Events {
        private final List<TimelineEvent> events = new ArrayList<>();
        private int n;

        Events add(String type, Instant at, String campaign, String step, String messageId, Map<String, Object> data) {
            events.add(new TimelineEvent("e" + (++n), "c1", type, at, campaign, step, messageId, data));
            return this;
        }

        Events sent(String channel, Instant at, String campaign, String messageId) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put(channel.equals("email") ? "subject" : "text", "earlier message");
            return add(channel + ".sent", at, campaign, channel, messageId, data);
        }

        Timeline timeline() {
            return Timeline.of(events);
        }
    }

    /** Links that count what they make, with predictable codes. */
    static final class CountingLinks implements Links {
        final List<String> targets = new ArrayList<>();
        private int n;

        @Override
        public String shortLink(String url) {
            targets.add(url);
            return BASE + "/l/code" + (++n) + "xxxxxxxxxxxxxxxxx";
        }

        @Override
        public String viewUrl(String viewCode) {
            return BASE + "/v/" + viewCode;
        }

        @Override
        public String newViewCode() {
            return "view" + (++n);
        }

        @Override
        public String newUnsubscribeCode() {
            return "unsub" + (++n);
        }

        @Override
        public int shortLinkLength() {
            return LinkMaker.lengthFor(BASE);
        }
    }

    static Renderer.Compiled compiled(String id) {
        return Renderer.compile(TEMPLATES.get(id));
    }

    private Fixtures() {
    }
}
