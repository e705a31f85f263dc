package dev.tandem.app;

import dev.tandem.audience.Segment;
import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.Launch;
import dev.tandem.decide.LinkMaker;
import dev.tandem.port.SendQueue;
import dev.tandem.testing.InMemoryDecisionStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Launches to segments, and recurring campaigns, swept on the in-memory store. */
class AudienceSweepTest {
    static final String BASE = "https://t.example.com";
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    final InMemoryDecisionStore store = new InMemoryDecisionStore(4);
    final List<SendQueue.Job> queue = Collections.synchronizedList(new ArrayList<>());
    final Sweep sweep = new Sweep(store, queue::addAll, () -> UUID.randomUUID().toString(),
            new Sweep.Settings(BASE, Duration.ofHours(2), Duration.ofMinutes(2), 200, 7, 9, 2, 1000));
    final List<String> captured = new ArrayList<>();

    AudienceSweepTest() {
        MessageTemplate mail = MessageTemplate.from("mail", Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>"));
        store.put(mail);
        store.put(ContactPolicy.from(Map.of("maxPer24h", 5, "maxPer7d", 20, "minGap", "PT0S")));
    }

    void campaign(String id, Map<String, Object> extra) {
        Map<String, Object> def = new java.util.HashMap<>(Map.of("playbook", "best-channel", "email", "mail"));
        def.putAll(extra);
        store.put(Campaign.from(id, def, t -> store.template(t).orElse(null), ContactPolicy.DEFAULT, LinkMaker.lengthFor(BASE)));
    }

    void contact(String id, String tier) {
        Contact c = ContactDraft.from(id, Map.of("email", id + "@example.com", "timezone", "UTC",
                "consent", Map.of("email", "subscribed"), "attributes", Map.of("tier", tier)), "test", T0).applyTo(null, T0);
        store.put(c);
    }

    final List<String> sentTo = Collections.synchronizedList(new ArrayList<>());
    final Dispatch dispatch = new Dispatch(store, e -> {
        sentTo.add(e.to());
        return "ses-" + UUID.randomUUID();
    }, m -> "sns-" + UUID.randomUUID(), channel -> { },
            new Dispatch.Settings(BASE, Duration.ofHours(2), Duration.ofMinutes(2), 200, Duration.ofMinutes(1), 2, 1000));

    /** A tick: the sweep, then the senders on what it claimed; the contacts sent to. */
    TreeSet<String> enrolled(Instant now) {
        sweep.run(now, () -> true);
        List<SendQueue.Job> jobs;
        synchronized (queue) {
            jobs = List.copyOf(queue);
            queue.clear();
        }
        sentTo.clear();
        dispatch.send(jobs, now.plusSeconds(1));
        TreeSet<String> ids = new TreeSet<>();
        sentTo.forEach(to -> ids.add(to.substring(0, to.indexOf('@'))));
        return ids;
    }

    @Test
    void aSegmentLaunchEnrolsOnlyTheContactsItHoldsNow() {
        campaign("gold-news", Map.of());
        for (int i = 0; i < 30; i++) {
            contact("c" + i, i % 3 == 0 ? "gold" : "silver");
        }
        store.contacts.add(new TimelineEvent("e1", "c3", "conversion", T0.minus(Duration.ofDays(1)), null, null, null, Map.of()));
        store.putSegment(Segment.from("gold-unconverted", Map.of("where", Map.of("all", List.of(
                Map.of("attr", "tier", "eq", "gold"), Map.of("event", "conversion", "within", "P7D", "max", 0))))));
        store.launch(new Launch("gold-news", "l1", T0, null, null, null, null, 0, "gold-unconverted", null, false));

        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 30; i += 3) {
            if (i != 3) {
                expected.add("c" + i);
            }
        }
        assertEquals(expected, enrolled(T0));
    }

    @Test
    void aRecurringCampaignEnrolsThoseWhoNewlyQualifyAtEachOccurrenceOnce() {
        campaign("daily", Map.of("recurring", Map.of("every", "P1D", "at", "09:00", "timezone", "UTC", "reentry", "once")));
        contact("a", "gold");
        contact("b", "silver");
        store.putSegment(Segment.from("gold", Map.of("where", Map.of("attr", "tier", "eq", "gold"))));
        dev.tandem.campaign.Recurrence r = store.campaign("daily").orElseThrow().recurring();
        Launch l = new Launch("daily", "r1", T0, null, null, null, null, 0, "gold", null, false).asRecurrence(r, r.first(T0));
        assertEquals(Instant.parse("2026-12-02T09:00:00Z"), l.at(), "the first 09:00 after the launch");
        store.launch(l);

        assertEquals(new TreeSet<>(), enrolled(T0), "nothing before the first occurrence");
        assertEquals(new TreeSet<>(List.of("a")), enrolled(Instant.parse("2026-12-02T09:00:00Z")));
        contact("b", "gold");
        assertEquals(new TreeSet<>(List.of("b")), enrolled(Instant.parse("2026-12-03T09:00:00Z")), "only the newly qualified");
        assertEquals(new TreeSet<>(), enrolled(Instant.parse("2026-12-04T09:00:00Z")), "once means once");
    }

    @Test
    void reentryLetsAContactInAgainOnceItsIntervalHasPassed() {
        campaign("daily", Map.of("recurring", Map.of("every", "P1D", "at", "09:00", "reentry", "P3D", "until", "2026-12-09T00:00:00Z")));
        contact("a", "gold");
        store.putSegment(Segment.from("gold", Map.of("where", Map.of("attr", "tier", "eq", "gold"))));
        dev.tandem.campaign.Recurrence r = store.campaign("daily").orElseThrow().recurring();
        store.launch(new Launch("daily", "r1", T0, null, null, null, null, 0, "gold", null, false).asRecurrence(r, r.first(T0)));

        List<String> days = new ArrayList<>();
        for (int d = 2; d <= 10; d++) {
            Instant at = Instant.parse(String.format("2026-12-%02dT09:00:00Z", d));
            if (!enrolled(at).isEmpty()) {
                days.add(Integer.toString(d));
            }
        }
        assertEquals(List.of("2", "5", "8"), days, "every third day, and none after until");
    }
}
