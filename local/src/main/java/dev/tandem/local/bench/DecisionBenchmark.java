package dev.tandem.local.bench;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.Decider;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Links;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Run;
import dev.tandem.render.Renderer;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine alone: decisions per second for a contact with 50 timeline events, on one thread. Three kinds
 * of decision: an email-first follow-up that sends (rendered), one deferred by quiet hours, and a
 * best-channel choice by habits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecisionBenchmark {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");
    private Decider decider;
    private Contact contact;
    private Timeline timeline;
    private Campaign emailFirst;
    private Campaign best;
    private Run followUp;
    private Run nightFollowUp;
    private Run bestRun;
    private Map<String, Renderer.Compiled> compiled;
    private final Links links = new Links() {
        @Override
        public String shortLink(String url) {
            return "https://t.example.com/l/0123456789abcdefghijkl";
        }

        @Override
        public String viewUrl(String viewCode) {
            return "https://t.example.com/v/" + viewCode;
        }

        @Override
        public String newViewCode() {
            return "0123456789abcdefghijkl";
        }

        @Override
        public String newUnsubscribeCode() {
            return "0123456789abcdefghijkl";
        }

        @Override
        public int shortLinkLength() {
            return 47;
        }
    };

    @Setup
    public void setUp() {
        Map<String, MessageTemplate> templates = new HashMap<>();
        templates.put("e", MessageTemplate.from("e", Map.of("channel", "email", "subject", "{{contact.firstName}}, your picks",
                "body", "<p>Hi {{contact.firstName}}</p>{{#contact.recommendations}}<li>{{name}}</li>{{/contact.recommendations}}")));
        templates.put("s", MessageTemplate.from("s", Map.of("channel", "sms",
                "body", "{{contact.firstName}}, your {{campaign.topic}} picks are in your inbox: {{link}}")));
        compiled = new HashMap<>();
        templates.forEach((k, v) -> compiled.put(k, Renderer.compile(v)));
        emailFirst = Campaign.from("winter", Map.of("topic", "Winter", "playbook", "email-first", "email", "e", "sms", "s"),
                templates::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor("https://t.example.com"));
        best = Campaign.from("best", Map.of("topic", "Boots", "playbook", "best-channel", "email", "e", "sms", "s"),
                templates::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor("https://t.example.com"));
        contact = ContactDraft.from("c1", Map.of("email", "ana@example.com", "phone", "+14155550101", "timezone", "America/Los_Angeles",
                "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", Map.of("firstName", "Ana", "recommendations", List.of(Map.of("name", "Boots"), Map.of("name", "Hat")))), "bench", T0)
                .applyTo(null, T0);
        // 50 events over two months: 16 messages of three campaigns, each delivered and opened (every other
        // open by Apple's proxy), a reply, and the email the follow-up is about, 24 hours ago.
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Instant sent = T0.minus(Duration.ofDays(4L * (i + 1)));
            boolean email = i % 2 == 0;
            String campaign = "old" + (i % 3);
            events.add(new TimelineEvent("s" + i, "c1", email ? "email.sent" : "sms.sent", sent, campaign,
                    email ? "email" : "sms", "m" + i, Map.of(email ? "subject" : "text", "message " + i)));
            events.add(new TimelineEvent("d" + i, "c1", email ? "email.delivered" : "sms.delivered", sent.plusSeconds(60),
                    campaign, email ? "email" : "sms", "m" + i, Map.of()));
            events.add(email
                    ? new TimelineEvent("o" + i, "c1", "email.open", sent.plusSeconds(7200), campaign, "email", "m" + i,
                    Map.of("machine", i % 4 == 0))
                    : new TimelineEvent("c" + i, "c1", "sms.click", sent.plusSeconds(7200), campaign, "sms", "m" + i, Map.of()));
        }
        events.add(new TimelineEvent("r1", "c1", "sms.reply", T0.minus(Duration.ofDays(9)), "old1", null, null, Map.of("text", "thanks")));
        events.add(new TimelineEvent("last", "c1", "email.sent", T0.minus(Duration.ofHours(24)), "winter", "email", "m-last",
                Map.of("subject", "Ana, your picks")));
        timeline = Timeline.of(events);
        decider = new Decider(ContactPolicy.DEFAULT);
        Map<String, String> data = Map.of(Run.EMAIL_MESSAGE_ID, "m-last", Run.EMAIL_SUBJECT, "Ana, your picks", Run.VIEW_CODE, "v1");
        followUp = new Run("c1", "winter", "L1", Run.Kind.LAUNCH, Steps.SMS, T0.minus(Duration.ofHours(24)), T0, true, data, 1, null);
        nightFollowUp = new Run("c1", "winter", "L1", Run.Kind.LAUNCH, Steps.SMS, T0.minus(Duration.ofHours(24)),
                T0.plus(Duration.ofHours(13)), true, data, 1, null);
        bestRun = Run.launched("c1", "best", "L2", Steps.MESSAGE, T0);
    }

    @Benchmark
    public Plan followUpSends() {
        return decider.decide(new Decider.Input(contact, timeline, emailFirst, followUp, compiled::get, links), T0);
    }

    @Benchmark
    public Plan followUpDeferredByQuietHours() {
        return decider.decide(new Decider.Input(contact, timeline, emailFirst, nightFollowUp, compiled::get, links),
                T0.plus(Duration.ofHours(13)));
    }

    @Benchmark
    public Plan bestChannelByHabits() {
        return decider.decide(new Decider.Input(contact, timeline, best, bestRun, compiled::get, links), T0);
    }
}
