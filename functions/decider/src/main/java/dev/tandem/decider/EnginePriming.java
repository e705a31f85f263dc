package dev.tandem.decider;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.Decider;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Run;
import dev.tandem.render.Renderer;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The engine on a made-up contact: an email-first email, then its SMS follow-up, decided and rendered in memory. */
final class EnginePriming {
    private EnginePriming() {
    }

    static void run() {
        Instant now = Instant.parse("2026-01-05T17:00:00Z");
        Map<String, MessageTemplate> templates = Map.of(
                "e", MessageTemplate.from("e", Map.of("channel", "email", "subject", "{{contact.firstName}}, hello",
                        "body", "<p>{{#contact.items}}{{name}}{{/contact.items}}{{^contact.items}}-{{/contact.items}}</p>")),
                "s", MessageTemplate.from("s", Map.of("channel", "sms", "body", "{{contact.firstName}}: {{campaign.topic}} {{link}}")));
        Campaign c = Campaign.from("prime", Map.of("topic", "prime", "playbook", "email-first", "email", "e", "sms", "s"),
                templates::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor("https://prime.invalid"));
        Contact contact = ContactDraft.from("prime", Map.of("email", "prime@tandem.invalid", "phone", "+10000000000",
                "timezone", "Europe/Paris", "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", Map.of("firstName", "Prime", "items", List.of(Map.of("name", "x")))), "prime", now).applyTo(null, now);
        Decider d = new Decider(ContactPolicy.DEFAULT);
        LinkMaker links = new LinkMaker("https://prime.invalid", "prime", "prime", "email", () -> "0123456789abcdefghijkl");
        d.decide(new Decider.Input(contact, Timeline.empty(), c, Run.launched("prime", "prime", "p", "email", now),
                id -> Renderer.compile(templates.get(id)), links), now);
        Timeline sent = Timeline.of(List.of(new TimelineEvent("p1", "prime", "email.sent", now, "prime", "email", "m",
                Map.of("subject", "Prime, hello"))));
        Run followUp = new Run("prime", "prime", "p", Run.Kind.LAUNCH, "sms", now, now.plus(Duration.ofDays(1)), true,
                Map.of(Run.EMAIL_MESSAGE_ID, "m", Run.VIEW_CODE, "v"), 1, null);
        d.decide(new Decider.Input(contact, sent, c, followUp, id -> Renderer.compile(templates.get(id)), links),
                now.plus(Duration.ofDays(1)));
    }
}
