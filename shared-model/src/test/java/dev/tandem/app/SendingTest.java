package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Run;
import dev.tandem.port.EmailSender;
import dev.tandem.port.Pacer;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import dev.tandem.port.SendQueue;
import dev.tandem.port.SmsSender;
import dev.tandem.testing.InMemoryDecisionStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decider's sweep and the senders' dispatch together, on the in-memory store: claims, jobs, duplicates, crashes,
 * throttling, jobs that waited too long, and one budget per contact.
 */
class SendingTest {
    static final String BASE = "https://t.example.com";
    /** 09:00 in Los Angeles. */
    static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");
    static final Duration CLAIM_LEASE = Duration.ofHours(2);
    static final Duration SEND_LEASE = Duration.ofMinutes(2);
    static final Pacer NO_WAIT = channel -> { };

    final dev.tandem.testing.InMemoryContactStore contacts = new dev.tandem.testing.InMemoryContactStore();
    final InMemoryDecisionStore store = new InMemoryDecisionStore(4, contacts);
    final List<SendQueue.Job> queue = Collections.synchronizedList(new ArrayList<>());
    final List<EmailSender.Email> emails = Collections.synchronizedList(new ArrayList<>());
    final List<SmsSender.Sms> sms = Collections.synchronizedList(new ArrayList<>());
    Function<EmailSender.Email, String> emailProvider = e -> {
        emails.add(e);
        return "ses-" + emails.size() + "-" + UUID.randomUUID();
    };
    Function<SmsSender.Sms, String> smsProvider = m -> {
        sms.add(m);
        return "sns-" + sms.size() + "-" + UUID.randomUUID();
    };
    final Map<String, MessageTemplate> templates = new HashMap<>();

    final Sweep sweep = new Sweep(store, queue::addAll, () -> UUID.randomUUID().toString(),
            new Sweep.Settings(BASE, CLAIM_LEASE, SEND_LEASE, 200, 7, 9, 4, 1000));

    Dispatch dispatch() {
        return dispatch(store, 4);
    }

    Dispatch dispatch(InMemoryDecisionStore on, int parallel) {
        return new Dispatch(on, e -> emailProvider.apply(e), m -> smsProvider.apply(m), NO_WAIT,
                new Dispatch.Settings(BASE, CLAIM_LEASE, SEND_LEASE, 200, Duration.ofMinutes(1), parallel, 1000));
    }

    SendingTest() {
        template("mail", Map.of("channel", "email", "subject", "{{contact.firstName}}, your winter picks",
                "body", "<p>Hi {{contact.firstName}}, see <a href=\"https://shop.example.com/w\">the picks</a></p>"));
        template("text", Map.of("channel", "sms", "body", "{{contact.firstName}}, {{campaign.topic}}: {{link}}"));
    }

    private void template(String id, Map<String, Object> body) {
        MessageTemplate t = MessageTemplate.from(id, body);
        templates.put(id, t);
        store.put(t);
    }

    Campaign campaign(String id, Map<String, Object> def) {
        Campaign c = Campaign.from(id, def, templates::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor(BASE));
        store.put(c);
        return c;
    }

    Campaign emailFirst(String id) {
        return campaign(id, Map.of("topic", "Winter", "playbook", "email-first", "email", "mail", "sms", "text", "followUpAfter", "PT24H"));
    }

    Campaign smsFirst(String id) {
        return campaign(id, Map.of("topic", "Flash sale", "playbook", "sms-first", "sms", "text", "email", "mail",
                "detailAfter", "PT1H", "link", "https://shop.example.com/flash"));
    }

    static Contact person(String id, String smsConsent, Contact before, Instant at) {
        return ContactDraft.from(id, Map.of("email", id + "@example.com", "phone", phone(id), "timezone", "America/Los_Angeles",
                "consent", Map.of("email", "subscribed", "sms", smsConsent), "attributes", Map.of("firstName", id)), "test", at)
                .applyTo(before, at);
    }

    String contact(String id) {
        store.put(person(id, "subscribed", null, T0));
        return id;
    }

    static String phone(String id) {
        return "+1415555" + String.format("%04d", Math.floorMod(id.hashCode(), 10_000));
    }

    void launch(String campaign, List<String> audience, Instant at) {
        store.launch(new Launch(campaign, "l-" + campaign, at, null, null, audience, null, 0));
    }

    List<SendQueue.Job> take() {
        synchronized (queue) {
            List<SendQueue.Job> jobs = List.copyOf(queue);
            queue.clear();
            return jobs;
        }
    }

    long emailsTo(String id) {
        return emails.stream().filter(e -> e.to().equals(id + "@example.com")).count();
    }

    @Test
    void aLaunchIsClaimedQueuedAndSentOnceEachThoughJobsAreDeliveredTwice() {
        Campaign c = emailFirst("winter");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(contact("c" + i));
        }
        launch(c.id(), ids, T0);

        Sweep.Result swept = sweep.run(T0, () -> true);

        assertEquals(40, swept.counts().get("claimed"), swept.counts().toString());
        List<SendQueue.Job> jobs = take();
        assertEquals(40, jobs.size());
        assertEquals(40, jobs.stream().map(SendQueue.Job::contactId).distinct().count(), "one job per contact");
        assertTrue(emails.isEmpty(), "the decider never calls a provider");

        // Half the jobs arrive twice in the same batch, and all of them again in a later one.
        List<SendQueue.Job> doubled = new ArrayList<>(jobs);
        doubled.addAll(jobs.subList(0, 20));
        Collections.shuffle(doubled, new java.util.Random(7));
        Dispatch d = dispatch();
        Dispatch.Result first = d.send(doubled, T0.plusSeconds(5));
        Dispatch.Result again = d.send(jobs, T0.plusSeconds(9));

        for (String id : ids) {
            assertEquals(1, emailsTo(id), id);
        }
        assertEquals(40, again.counts().get("stale"), "a job whose send is recorded sends nothing: " + again.counts());
        // A duplicate that came while its twin was sending goes back to the queue, and sends nothing when it returns.
        assertTrue(jobs.subList(0, 20).containsAll(first.again()), first.counts().toString());
        assertEquals(first.again().size(), d.send(first.again(), T0.plusSeconds(400)).counts().getOrDefault("stale", 0));
        assertEquals(40L, store.stats("winter").get("email.sent"));
        Run run = store.run("c3", "winter", "l-winter").orElseThrow();
        assertEquals("sms", run.step(), "the run moved on to the follow-up");
        assertEquals(T0.plusSeconds(5).plus(Duration.ofHours(24)), run.dueAt());
    }

    @Test
    void aTransactionalSmsGoesAsTransactionalAndAPromotionalOneAsPromotional() {
        Campaign flash = smsFirst("flash");
        Campaign order = campaign("order", Map.of("topic", "Your order", "playbook", "sms-first", "sms", "text", "email", "mail",
                "transactional", true, "link", "https://shop.example.com/orders/1"));
        launch(flash.id(), List.of(contact("ana")), T0);
        launch(order.id(), List.of(contact("bo")), T0);
        sweep.run(T0, () -> true);

        dispatch().send(take(), T0.plusSeconds(3));

        assertEquals(Map.of(phone("ana"), false, phone("bo"), true),
                sms.stream().collect(java.util.stream.Collectors.toMap(SmsSender.Sms::to, SmsSender.Sms::transactional)));
        assertEquals(true, contacts.events("bo").stream().filter(e -> e.type().equals("sms.sent")).findFirst()
                .orElseThrow().data().get("transactional"), "marked, so that the promotional budget does not count it");
    }

    @Test
    void theLinksASenderSendsAreTheOnesItsClaimWrote() {
        Campaign c = smsFirst("flash");
        String id = contact("ana");
        launch(c.id(), List.of(id), T0);
        sweep.run(T0, () -> true);
        assertEquals(1, store.linkItems().size(), "the short link is written with the claim");

        dispatch().send(take(), T0.plusSeconds(3));

        assertEquals(1, sms.size());
        String code = store.linkItems().get(0).code();
        assertTrue(sms.get(0).text().contains("/l/" + code), sms.get(0).text());
        assertEquals(1, store.linkItems().size(), "no other link was needed");
    }

    @Test
    void aSenderThatStopsAfterBeginningIsNeverResentAndIsCountedOnItsChannel() {
        Campaign c = campaign("restock", Map.of("topic", "Back in stock", "playbook", "best-channel", "email", "mail",
                "sms", "text", "urgent", true));
        String id = contact("bo");
        launch(c.id(), List.of(id), T0);
        sweep.run(T0, () -> true);
        List<SendQueue.Job> jobs = take();
        assertEquals(Channel.SMS, store.run(id, "restock", "l-restock").orElseThrow().claim().channel(), "the claim records its channel");
        smsProvider = m -> {
            throw new Freeze();
        };

        assertThrows(Freeze.class, () -> dispatch().send(jobs, T0.plusSeconds(2)));
        smsProvider = m -> {
            sms.add(m);
            return "sns-1";
        };
        // SQS delivers the job again: within the send lease the send may still be under way.
        Dispatch.Result early = dispatch().send(jobs, T0.plusSeconds(60));
        assertEquals(jobs, early.again());
        assertEquals(1, early.counts().get("in-flight"));
        // After the lease it is taken for crashed: no event says it went, so it is unknown, never resent.
        Dispatch.Result late = dispatch().send(jobs, T0.plusSeconds(200));
        assertEquals(1, late.counts().get("unknown"), late.counts().toString());
        sweep.run(T0.plus(Duration.ofDays(1)), () -> true);
        dispatch().send(take(), T0.plus(Duration.ofDays(1)));

        assertTrue(sms.isEmpty(), "never resent");
        assertEquals(1L, store.stats("restock").get("sms.unknown"), store.stats("restock").toString());
        assertFalse(store.stats("restock").containsKey("email.unknown"));
        assertTrue(store.pending(id).isEmpty(), "the contact is free for other sends");
        assertEquals("unknown", store.stored(id, "restock", "l-restock").orElseThrow().status());
    }

    @Test
    void aSendRecordedOnlyOnTheTimelineIsRecoveredFromItsEvent() {
        AtomicInteger stops = new AtomicInteger(1);
        InMemoryDecisionStore crashing = new InMemoryDecisionStore(4, store.contacts) {
            @Override
            protected void afterEvent(Run run) {
                if (stops.getAndDecrement() > 0) {
                    throw new Freeze();
                }
            }
        };
        templates.values().forEach(crashing::put);
        crashing.put(Campaign.from("winter", Map.of("topic", "Winter", "playbook", "email-first", "email", "mail", "sms", "text"),
                templates::get, ContactPolicy.DEFAULT, LinkMaker.lengthFor(BASE)));
        String id = contact("cy");
        crashing.launch(new Launch("winter", "l1", T0, null, null, List.of(id), null, 0));
        Sweep s = new Sweep(crashing, queue::addAll, () -> UUID.randomUUID().toString(),
                new Sweep.Settings(BASE, CLAIM_LEASE, SEND_LEASE, 200, 50, 50, 2, 1000));
        s.run(T0, () -> true);
        List<SendQueue.Job> jobs = take();

        assertThrows(Freeze.class, () -> dispatch(crashing, 1).send(jobs, T0.plusSeconds(1)));
        assertEquals(1, emails.size());
        Dispatch.Result late = dispatch(crashing, 1).send(jobs, T0.plusSeconds(300));

        assertEquals(1, late.counts().get("recovered"), late.counts().toString());
        assertEquals(1, emails.size(), "the message went once");
        Run run = crashing.run(id, "winter", "l1").orElseThrow();
        assertEquals("sms", run.step(), "moved on as the claim said");
        assertTrue(run.get(Run.EMAIL_MESSAGE_ID).startsWith("ses-1"), "the follow-up knows the email");
        assertEquals(1L, crashing.stats("winter").get("email.sent"));
    }

    @Test
    void aJobThatWaitedPastTheStartOfQuietHoursIsDeferredNotSentLate() {
        Campaign c = smsFirst("flash");
        String id = contact("di");
        Instant evening = Instant.parse("2026-12-02T04:55:00Z"); // 20:55 in Los Angeles
        launch(c.id(), List.of(id), evening);
        sweep.run(evening, () -> true);
        List<SendQueue.Job> jobs = take();
        assertEquals(1, jobs.size());

        Dispatch.Result late = dispatch().send(jobs, evening.plus(Duration.ofMinutes(10)));

        assertTrue(sms.isEmpty(), "never sent in quiet hours");
        assertEquals(1, late.counts().get("rechecked"));
        assertTrue(late.lines().stream().anyMatch(l -> "deferred".equals(l.action()) && "quiet-hours".equals(l.reason())), late.lines().toString());
        Run run = store.run(id, "flash", "l-flash").orElseThrow();
        assertNull(run.claim());
        Instant morning = Instant.parse("2026-12-02T16:00:00Z"); // 08:00 in Los Angeles
        assertEquals(morning, run.dueAt(), "the end of quiet hours");

        sweep.run(morning, () -> true);
        dispatch().send(take(), morning.plusSeconds(5));
        assertEquals(1, sms.size());
    }

    @Test
    void aContactWhoOptedOutWhileTheJobWaitedIsNotSentTo() {
        Campaign c = smsFirst("flash");
        String id = contact("ed");
        launch(c.id(), List.of(id), T0);
        sweep.run(T0, () -> true);
        store.put(person(id, "unsubscribed", store.contacts.find(id).orElseThrow(), T0.plusSeconds(1)));

        Dispatch.Result r = dispatch().send(take(), T0.plusSeconds(2));

        assertTrue(sms.isEmpty());
        assertEquals(1, r.counts().get("rechecked"), r.counts().toString());
        // Given back to the decider, which now sends the email instead, and says why the SMS did not go.
        sweep.run(T0.plusSeconds(60), () -> true);
        Dispatch.Result sent = dispatch().send(take(), T0.plusSeconds(61));
        assertTrue(sent.lines().stream().anyMatch(l -> "sms".equals(l.channel()) && "skipped".equals(l.action())), sent.lines().toString());
        assertTrue(sms.isEmpty());
        assertEquals(1, emailsTo(id));
    }

    @Test
    void twoCampaignsToOneContactSpendOneBudget() {
        emailFirst("winter");
        smsFirst("flash");
        String id = contact("fa");
        launch("winter", List.of(id), T0);
        launch("flash", List.of(id), T0);
        Sweep.Result first = sweep.run(T0, () -> true);
        List<SendQueue.Job> jobs = take();
        assertEquals(1, jobs.size(), "one run of a contact a pass: the other waits to see what this one sends");
        assertTrue(first.counts().get("contact-busy") >= 1, first.counts().toString());

        dispatch().send(jobs, T0.plusSeconds(1));
        for (int tick = 1; tick <= 3; tick++) {
            Instant t = T0.plusSeconds(60L * tick);
            sweep.run(t, () -> true);
            dispatch().send(take(), t.plusSeconds(1));
        }

        assertEquals(1, emails.size() + sms.size(), "the default minimum gap of four hours holds across campaigns");
        List<Run> runs = List.of(store.run(id, "winter", "l-winter").orElseThrow(), store.run(id, "flash", "l-flash").orElseThrow());
        assertTrue(runs.stream().anyMatch(r -> r.dueAt().isAfter(T0.plus(Duration.ofHours(3)))), "the other waits for the gap: " + runs);
    }

    @Test
    void twoJobsForOneContactNeverBothBegin() {
        // Two sweeps that overlap (or a job delivered late) can still put two sends of one contact in the queue.
        emailFirst("winter");
        smsFirst("flash");
        String id = contact("fb");
        launch("winter", List.of(id), T0);
        sweep.run(T0, () -> true);
        launch("flash", List.of(id), T0);
        Sweep other = new Sweep(store, queue::addAll, () -> UUID.randomUUID().toString(),
                new Sweep.Settings(BASE, CLAIM_LEASE, SEND_LEASE, 200, 7, 9, 4, 1000));
        other.run(T0, () -> true);
        List<SendQueue.Job> jobs = take();
        assertEquals(2, jobs.size(), "both claimed from views without the other");

        Dispatch.Result r = dispatch().send(jobs, T0.plusSeconds(1));

        assertEquals(1, emails.size() + sms.size(), r.counts().toString());
        // The second either finds the first under way and is given back, or finds it sent and waits for the gap.
        assertEquals(1, r.counts().getOrDefault("contact-busy", 0) + r.counts().getOrDefault("rechecked", 0), r.counts().toString());
    }

    @Test
    void aContactWhoseLastSendLeftTheViewLongAgoCanBeSentToAgain() {
        emailFirst("winter");
        smsFirst("flash");
        String id = contact("ga");
        launch("winter", List.of(id), T0);
        sweep.run(T0, () -> true);
        dispatch().send(take(), T0.plusSeconds(1));
        assertEquals(1, emails.size());
        // A hundred days on, that email is out of the window a decision reads; its begin is long settled.
        Instant later = T0.plus(Duration.ofDays(100));
        store.launch(new Launch("flash", "l-later", later, null, null, List.of(id), null, 0));

        Sweep.Result r = sweep.run(later, () -> true);
        dispatch().send(take(), later.plusSeconds(1));

        assertEquals(1, r.counts().get("claimed"), "the contact is not taken for busy forever: " + r.counts());
        assertEquals(2, emails.size() + sms.size());
    }

    @Test
    void aClaimGivenBackWhileItsJobWaitedForItsTokenSendsNothing() {
        Campaign c = emailFirst("winter");
        String id = contact("gb");
        launch(c.id(), List.of(id), T0);
        sweep.run(T0, () -> true);
        List<SendQueue.Job> jobs = take();
        Run claimed = store.run(id, "winter", "l-winter").orElseThrow();
        // The sender has read the run and the contact and waits for its token; meanwhile the claim is given back (a
        // twin delivery's failed begin, a queue that refused the job) and decided again elsewhere.
        Pacer releasing = channel -> store.release(claimed, claimed.claim(), T0);
        Dispatch d = new Dispatch(store, e -> emailProvider.apply(e), m -> smsProvider.apply(m), releasing,
                new Dispatch.Settings(BASE, CLAIM_LEASE, SEND_LEASE, 200, Duration.ofMinutes(1), 1, 1000));

        Dispatch.Result r = d.send(jobs, T0.plusSeconds(1));

        assertTrue(emails.isEmpty(), "begun, it reads its claim again and finds it gone: " + r.counts());
        assertEquals(1, r.counts().get("stale"));
        assertTrue(store.pending(id).isEmpty(), "and lets go of the guard");
    }

    @Test
    void aThrottledSendIsGivenBackAndSentOnceLater() {
        Campaign c = emailFirst("winter");
        String id = contact("gu");
        launch(c.id(), List.of(id), T0);
        sweep.run(T0, () -> true);
        AtomicInteger throttles = new AtomicInteger(1);
        Function<EmailSender.Email, String> ok = emailProvider;
        emailProvider = e -> {
            if (throttles.getAndDecrement() > 0) {
                throw new ProviderThrottledException("slow down");
            }
            return ok.apply(e);
        };

        Dispatch.Result r = dispatch().send(take(), T0.plusSeconds(1));
        assertEquals(1, r.counts().get("throttled"));
        assertTrue(store.pending(id).isEmpty(), "the guard let go of it");

        sweep.run(T0.plusSeconds(30), () -> true);
        assertTrue(take().isEmpty(), "given back for a minute");
        sweep.run(T0.plusSeconds(62), () -> true);
        dispatch().send(take(), T0.plusSeconds(63));
        assertEquals(1, emailsTo(id));
    }

    @Test
    void aChannelTheProviderRefusesIsPausedForTheBatchAndItsSendsGivenBack() {
        Campaign c = emailFirst("winter");
        List<String> ids = List.of(contact("ha"), contact("hb"), contact("hc"));
        launch(c.id(), ids, T0);
        sweep.run(T0, () -> true);
        AtomicInteger calls = new AtomicInteger();
        emailProvider = e -> {
            calls.incrementAndGet();
            throw new ProviderUnavailableException(Channel.EMAIL, "sending paused");
        };

        Dispatch.Result r = dispatch(store, 1).send(take(), T0.plusSeconds(1));

        assertEquals(1, calls.get(), "one refusal pauses the channel for the batch");
        assertEquals(java.util.Set.of(Channel.EMAIL), r.paused());
        for (String id : ids) {
            assertNull(store.run(id, "winter", "l-winter").orElseThrow().claim(), "given back: " + id);
        }
    }

    @Test
    void aJobLostOnTheWayIsGivenBackAfterTheClaimLeaseAndTheOldJobThenSendsNothing() {
        Campaign c = emailFirst("winter");
        String id = contact("ia");
        launch(c.id(), List.of(id), T0);
        sweep.run(T0, () -> true);
        List<SendQueue.Job> lost = take();

        Sweep.Result early = sweep.run(T0.plus(Duration.ofMinutes(30)), () -> true);
        assertFalse(early.counts().containsKey("released"), "a claim is left alone within its lease");
        Instant after = T0.plus(CLAIM_LEASE).plusSeconds(1);
        Sweep.Result released = sweep.run(after, () -> true);
        assertEquals(1, released.counts().get("released"), released.counts().toString());
        sweep.run(after.plusSeconds(60), () -> true);
        List<SendQueue.Job> fresh = take();
        assertEquals(1, fresh.size());

        Dispatch.Result old = dispatch().send(lost, after.plusSeconds(61));
        assertEquals(1, old.counts().get("stale"));
        dispatch().send(fresh, after.plusSeconds(62));
        dispatch().send(fresh, after.plusSeconds(63));
        assertEquals(1, emailsTo(id));
    }

    @Test
    void previewDecidesAndNeitherWritesNorQueues() {
        Campaign c = emailFirst("winter");
        String id = contact("ja");

        List<DecisionLine> lines = sweep.preview(c, List.of(id), T0);

        assertEquals(1, lines.size());
        assertEquals("sent", lines.get(0).action());
        assertTrue(queue.isEmpty());
        assertTrue(store.run(id, "winter", "preview").isEmpty());
        assertTrue(store.linkItems().isEmpty());
    }

    @Test
    void aSweepShortOfTimeStopsAndTheNextFinishes() {
        Campaign c = emailFirst("winter");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(contact("k" + i));
        }
        launch(c.id(), ids, T0);
        AtomicInteger budget = new AtomicInteger(12);

        Sweep.Result cut = sweep.run(T0, () -> budget.getAndDecrement() > 0);
        Sweep.Result rest = sweep.run(T0.plusSeconds(60), () -> true);
        dispatch().send(take(), T0.plusSeconds(61));

        assertFalse(cut.finished());
        assertTrue(rest.finished());
        for (String id : ids) {
            assertEquals(1, emailsTo(id), id);
        }
    }

    /** What a process dying looks like to the code it runs: an Error nothing catches. */
    static final class Freeze extends Error {
        Freeze() {
            super("the process stopped here", null, false, false);
        }
    }
}
