package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.Launch;
import dev.tandem.decide.LinkMaker;
import dev.tandem.experiment.Reading;
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
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign with an experiment, swept and sent on the in-memory store: the holdout is enrolled, counted and sent
 * nothing; each variant runs its own playbook; lines carry the group; a goal event converts once, in the window, and
 * is credited to the last message's channel and step.
 */
class ExperimentSweepTest {
    static final String BASE = "https://t.example.com";
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    final InMemoryDecisionStore store = new InMemoryDecisionStore(4);
    final List<SendQueue.Job> queue = Collections.synchronizedList(new ArrayList<>());
    final Sweep sweep = new Sweep(store, queue::addAll, () -> UUID.randomUUID().toString(),
            new Sweep.Settings(BASE, Duration.ofHours(2), Duration.ofMinutes(2), 200, 7, 9, 2, 1000));
    final List<String> emailed = Collections.synchronizedList(new ArrayList<>());
    final List<String> texted = Collections.synchronizedList(new ArrayList<>());
    final Dispatch dispatch = new Dispatch(store, e -> {
        emailed.add(e.to());
        return "ses-" + UUID.randomUUID();
    }, m -> {
        texted.add(m.to());
        return "sns-" + UUID.randomUUID();
    }, channel -> { }, new Dispatch.Settings(BASE, Duration.ofHours(2), Duration.ofMinutes(2), 200, Duration.ofMinutes(1), 2, 1000));
    final List<Map<String, Object>> lines = new ArrayList<>();
    Campaign campaign;

    ExperimentSweepTest() {
        store.put(MessageTemplate.from("mail", Map.of("channel", "email", "subject", "Hi", "body", "<p>Hi</p>")));
        store.put(MessageTemplate.from("text", Map.of("channel", "sms", "body", "Hi")));
        store.put(ContactPolicy.from(Map.of("maxPer24h", 5, "maxPer7d", 20, "minGap", "PT0S")));
        campaign = Campaign.from("winter", Map.of("playbook", "email-first", "email", "mail", "sms", "text",
                        "experiment", Map.of("holdout", 0.2, "variants", List.of(Map.of("id", "A"), Map.of("id", "B", "playbook", "sms-first"))),
                        "goal", Map.of("event", "conversion", "within", "P3D")),
                t -> store.template(t).orElse(null), ContactPolicy.DEFAULT, LinkMaker.lengthFor(BASE));
        store.put(campaign);
    }

    void tick(Instant now) {
        lines.addAll(sweep.run(now, () -> true).lines().stream().map(l -> l.toMap()).toList());
        List<SendQueue.Job> jobs;
        synchronized (queue) {
            jobs = List.copyOf(queue);
            queue.clear();
        }
        lines.addAll(dispatch.send(jobs, now.plusSeconds(1)).lines().stream().map(l -> l.toMap()).toList());
    }

    List<String> contacts(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "c" + i;
            Contact c = ContactDraft.from(id, Map.of("email", id + "@example.com", "phone", String.format("+1415555%04d", i),
                    "timezone", "UTC", "consent", Map.of("email", "subscribed", "sms", "subscribed")), "test", T0).applyTo(null, T0);
            store.put(c);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void theHoldoutGetsNothingAndEachVariantItsOwnPlaybook() {
        List<String> ids = contacts(60);
        store.launch(new Launch("winter", "l1", T0, null, null, ids, null, 0));
        tick(T0);
        int held = 0;
        for (String id : ids) {
            String group = campaign.groupOf(id);
            List<Map<String, Object>> mine = lines.stream().filter(l -> id.equals(l.get("contact"))).toList();
            assertTrue(!mine.isEmpty(), id + " was decided");
            mine.forEach(l -> assertEquals(group, l.get("variant"), "every line carries the group"));
            switch (group) {
                case "holdout" -> {
                    held++;
                    assertEquals(1, mine.size());
                    assertEquals("skipped", mine.get(0).get("action"));
                    assertEquals("holdout", mine.get(0).get("reason"));
                    assertTrue(!emailed.contains(id + "@example.com") && texted.stream().noneMatch(t -> t.equals(phone(id))));
                }
                case "A" -> assertEquals("email", mine.get(0).get("channel"), "A is email-first");
                default -> assertEquals("sms", mine.get(0).get("channel"), "B is sms-first");
            }
        }
        Map<String, Long> stats = store.stats("winter");
        assertEquals((long) held, stats.getOrDefault("variant/holdout/contacts", 0L));
        long a = ids.stream().filter(id -> campaign.groupOf(id).equals("A")).count();
        assertEquals(a, stats.getOrDefault("variant/A/contacts", 0L));
        assertEquals(a, stats.getOrDefault("variant/A/email.sent", 0L));
        assertEquals(60 - held - a, stats.getOrDefault("variant/B/sms.sent", 0L));
        assertTrue(held > 3 && a > 10, "the groups are all there: " + held + " held, " + a + " in A");
    }

    private static String phone(String id) {
        return String.format("+1415555%04d", Integer.parseInt(id.substring(1)));
    }

    @Test
    void aGoalConvertsOnceInTheWindowAndIsCreditedToTheLastMessage() {
        List<String> ids = contacts(40);
        store.launch(new Launch("winter", "l1", T0, null, null, ids, null, 0));
        tick(T0);
        Goals goals = new Goals(store, id -> id.equals("winter") ? Optional.of(campaign) : Optional.empty());
        String a = ids.stream().filter(id -> campaign.groupOf(id).equals("A")).findFirst().orElseThrow();
        String b = ids.stream().filter(id -> campaign.groupOf(id).equals("B")).findFirst().orElseThrow();
        String h = ids.stream().filter(id -> campaign.groupOf(id).equals("holdout")).findFirst().orElseThrow();
        String late = ids.stream().filter(id -> campaign.groupOf(id).equals("A") && !id.equals(a)).findFirst().orElseThrow();

        assertEquals(1, goals.record(conversion(a, "x1", T0.plus(Duration.ofHours(5)))));
        assertEquals(0, goals.record(conversion(a, "x2", T0.plus(Duration.ofHours(6)))), "a contact converts once");
        assertEquals(1, goals.record(conversion(b, "x3", T0.plus(Duration.ofDays(3)))), "the window's last instant counts");
        assertEquals(1, goals.record(conversion(h, "x4", T0.plus(Duration.ofDays(1)))), "the holdout converts after enrolment");
        assertEquals(0, goals.record(conversion(late, "x5", T0.plus(Duration.ofDays(3)).plusSeconds(2))), "past the window");
        assertEquals(0, goals.record(new TimelineEvent("x6", late, "custom.other", T0.plusSeconds(60), null, null, null, Map.of())),
                "an event that is not the goal");

        Map<String, Long> stats = store.stats("winter");
        assertEquals(3L, stats.get(Goals.CONVERSIONS));
        assertEquals(1L, stats.get("variant/A/conversions"));
        assertEquals(1L, stats.get("variant/B/conversions"));
        assertEquals(1L, stats.get("variant/holdout/conversions"));
        assertEquals(1L, stats.get("attributed/email/email"), "A's conversion follows its email");
        assertEquals(1L, stats.get("attributed/sms/sms"), "B's follows its first SMS");
        assertEquals(2L, stats.keySet().stream().filter(k -> k.startsWith("attributed/")).mapToLong(stats::get).sum(),
                "the holdout's conversion is credited to no message");

        @SuppressWarnings("unchecked")
        Map<String, Object> reading = Reading.of(campaign.experiment(), campaign.goal(), stats);
        Map<String, Object> experiment = (Map<String, Object>) reading.get("experiment");
        Map<String, Object> variantA = (Map<String, Object>) ((Map<String, Object>) experiment.get("variants")).get("A");
        assertEquals(1L, variantA.get("conversions"));
        assertEquals("too-small", ((Map<String, Object>) variantA.get("lift")).get("call"));
        assertEquals(Reading.INTERVAL, experiment.get("interval"));
    }

    private static TimelineEvent conversion(String contact, String id, Instant at) {
        return new TimelineEvent(id, contact, "conversion", at, null, null, null, Map.of());
    }
}
