package dev.tandem.local;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decider end to end on the emulator: definitions and launches through the API handler, the decider
 * handler on a simulated clock, mail and SMS read back from what the emulator kept.
 */
class DeciderIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z"); // 09:00 in Los Angeles
    private static String table;
    private final SimClock clock = new SimClock(T0);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private LocalFunctions functions;
    private LocalClient api;

    @BeforeAll
    static void table() {
        table = Emulator.freshTable("decider-it");
    }

    private static Map<String, String> env() {
        return Map.of("TABLE_NAME", table, "SES_RATE_PER_SECOND", "500", "SMS_RATE_PER_SECOND", "500", "DECISION_ECHO", "1000");
    }

    private void start() {
        functions = new LocalFunctions(Emulator.template(), clock, env());
        api = new LocalClient(functions);
        RequestCounter.INSTANCE.stopThrottling();
    }

    @AfterEach
    void stopThrottling() {
        RequestCounter.INSTANCE.stopThrottling();
    }

    private void define() {
        api.ok("PUT", "/templates/winter-email-" + run, Map.of("channel", "email", "subject", "{{contact.firstName}}, your winter picks",
                "body", "<p>Hi {{contact.firstName}}{{^contact.firstName}}there{{/contact.firstName}}, {{#contact.recommendations}}{{name}} {{/contact.recommendations}}</p>"));
        api.ok("PUT", "/templates/winter-sms-" + run, Map.of("channel", "sms",
                "body", "{{contact.firstName}}, your {{campaign.topic}} picks are in your inbox: {{link}}"));
        api.ok("PUT", "/campaigns/winter-" + run, Map.of("topic", "Winter collection", "playbook", "email-first",
                "email", "winter-email-" + run, "sms", "winter-sms-" + run, "followUpAfter", "PT24H"));
    }

    private String contact(String name, int n) {
        String id = name + "-" + run;
        api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com",
                "phone", "+1310" + String.format("%07d", Math.floorMod((run + n).hashCode(), 10_000_000)),
                "timezone", "America/Los_Angeles", "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", Map.of("firstName", name, "recommendations", List.of(Map.of("name", "Boots")))));
        return id;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> decide() {
        String out = functions.decideAndSend("{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));
        return (Map<String, Object>) Json.read(out, "");
    }

    private static List<Moto.SentEmail> emailsTo(String address) {
        return Moto.emails().stream().filter(e -> e.to().contains(address)).toList();
    }

    private static List<Moto.SentSms> smsTo(String phone) {
        return Moto.sms().stream().filter(s -> s.phoneNumber().equals(phone)).toList();
    }

    private String phoneOf(String id) {
        return (String) api.ok("GET", "/contacts/" + id, null).json().get("phone");
    }

    @Test
    @SuppressWarnings("unchecked")
    void emailFirstThenTheSmsFollowUpLinkingToThatEmailsWebVersion() {
        start();
        define();
        String ana = contact("ana", 1);
        assertEquals(202, api.ok("POST", "/campaigns/winter-" + run + "/launch", Map.of("audience", List.of(ana))).status());

        decide();

        List<Moto.SentEmail> emails = emailsTo(ana + "@example.com");
        assertEquals(1, emails.size());
        assertEquals("ana, your winter picks", emails.get(0).subject());
        assertEquals("<p>Hi ana, Boots </p>", emails.get(0).body());
        List<Map<String, Object>> items = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + ana + "/timeline", null).json().get("items");
        assertEquals("email.sent", items.get(0).get("type"));
        assertEquals(emails.get(0).id(), items.get(0).get("messageId"), "the timeline keeps the provider's message id");

        clock.advance(Duration.ofHours(12));
        decide();
        assertTrue(smsTo(phoneOf(ana)).isEmpty(), "not before 24 hours");

        clock.advance(Duration.ofHours(12));
        decide();

        List<Moto.SentSms> sms = smsTo(phoneOf(ana));
        assertEquals(1, sms.size());
        String text = sms.get(0).message();
        assertTrue(text.startsWith("ana, your Winter collection picks are in your inbox: https://"), text);
        String code = text.substring(text.indexOf("/l/") + 3);
        LocalClient.Response redirect = api.call("GET", "/l/" + code, null);
        assertEquals(302, redirect.status());
        String view = redirect.headers().get("location");
        assertTrue(view.contains("/v/"), view);
        LocalClient.Response web = api.call("GET", view.substring(view.indexOf("/v/")), null);
        assertEquals(200, web.status());
        assertEquals(emails.get(0).body(), web.body(), "the web version is that very email");
        assertEquals(404, api.call("GET", "/l/AAAAAAAAAAAAAAAAAAAAAA", null).status(), "an unknown code never redirects");
        List<Map<String, Object>> after = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + ana + "/timeline", null).json().get("items");
        assertEquals("sms.click", after.get(0).get("type"));

        Map<String, Object> stats = api.ok("GET", "/campaigns/winter-" + run + "/stats", null).json();
        assertEquals(1L, ((Number) ((Map<String, Object>) stats.get("email")).get("sent")).longValue());
        assertEquals(1L, ((Number) ((Map<String, Object>) stats.get("sms")).get("sent")).longValue());
    }

    @Test
    void oneClickUnsubscribeRecordsItOnce() {
        start();
        define();
        String bo = contact("bo", 2);
        api.ok("POST", "/campaigns/winter-" + run + "/launch", Map.of("audience", List.of(bo)));
        decide();
        String code = unsubscribeCode(bo);

        assertEquals(200, api.call("POST", "/u/" + code, "List-Unsubscribe=One-Click").status());
        assertEquals(200, api.call("POST", "/u/" + code, "List-Unsubscribe=One-Click").status());

        Map<String, Object> contact = api.ok("GET", "/contacts/" + bo, null).json();
        assertEquals("unsubscribed", ((Map<?, ?>) ((Map<?, ?>) contact.get("consent")).get("email")).get("status"));
        long unsubscribes = ((List<?>) api.ok("GET", "/contacts/" + bo + "/timeline", null).json().get("items")).stream()
                .filter(i -> "email.unsubscribe".equals(((Map<?, ?>) i).get("type"))).count();
        assertEquals(1, unsubscribes);
    }

    private String unsubscribeCode(String contactId) {
        return Emulator.itemsMentioning(table, contactId).stream()
                .filter(i -> "unsubscribe".equals(i.get("type").s()))
                .map(i -> i.get("PK").s().substring("UNSUB#".length()))
                .findFirst().orElseThrow();
    }

    @Test
    void twoOverlappingSweepsSendEachMessageOnce() throws Exception {
        start();
        define();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(contact("c" + i, 10 + i));
        }
        api.ok("POST", "/campaigns/winter-" + run + "/launch", Map.of("audience", ids));
        long before = RequestCounter.INSTANCE.calls("SesV2.SendEmail");
        LocalFunctions other = new LocalFunctions(Emulator.template(), clock, env());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<String> a = CompletableFuture.supplyAsync(() ->
                    functions.decideAndSend("{}", functions.context("DeciderFunction", true)), pool);
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() ->
                    other.decideAndSend("{}", other.context("DeciderFunction", true)), pool);
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }

        assertEquals(12, RequestCounter.INSTANCE.calls("SesV2.SendEmail") - before, "one provider call per message " + RequestCounter.INSTANCE.snapshot());
        List<Moto.SentEmail> sent = Moto.emails();
        for (String id : ids) {
            assertEquals(1, sent.stream().filter(e -> e.to().contains(id + "@example.com")).count(), id);
        }
    }

    @Test
    void aThrottledSendIsReleasedThenSentOnceNeitherLostNorDoubled() {
        start();
        define();
        String cy = contact("cy", 3);
        api.ok("POST", "/campaigns/winter-" + run + "/launch", Map.of("audience", List.of(cy)));
        RequestCounter.INSTANCE.throttle("SesV2.SendEmail");
        long attemptsBefore = RequestCounter.INSTANCE.attempts("SesV2.SendEmail");

        Map<String, Object> first = decide();

        assertTrue(RequestCounter.INSTANCE.attempts("SesV2.SendEmail") - attemptsBefore > 1, "backoff retried the call");
        assertEquals(1, ((Map<?, ?>) first.get("counts")).get("throttled"));
        assertTrue(emailsTo(cy + "@example.com").isEmpty());

        RequestCounter.INSTANCE.stopThrottling();
        clock.advance(Duration.ofSeconds(30));
        decide();
        assertTrue(emailsTo(cy + "@example.com").isEmpty(), "released until a minute later, not lost");

        clock.advance(Duration.ofSeconds(60));
        decide();
        decide();
        assertEquals(1, emailsTo(cy + "@example.com").size());
    }

    @Test
    void aSendLeftByACrashedSenderIsMarkedUnknownAndNeverResent() {
        start();
        define();
        String di = contact("di", 4);
        api.ok("POST", "/campaigns/winter-" + run + "/launch", Map.of("audience", List.of(di)));
        // The decider claims and queues; no sender has run yet.
        functions.invoke("DeciderFunction", "{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));
        dev.tandem.app.Dispatch crashing = new dev.tandem.app.Dispatch(
                dev.tandem.aws.store.DynamoDecisionStore.on(Emulator.dynamo(),
                        dev.tandem.aws.store.StoreConfig.from(new dev.tandem.aws.Env(functions.environment("SenderFunction")))),
                // An Error, as a runtime freezing or a process dying, is nothing a sender catches: it stops right there,
                // after it began the send and before it recorded anything.
                email -> {
                    throw new Freeze();
                },
                sms -> {
                    throw new Freeze();
                },
                channel -> { },
                new dev.tandem.app.Dispatch.Settings("https://t.example.com", Duration.ofHours(2), Duration.ofMinutes(3), 200,
                        Duration.ofMinutes(1), 1, 100));
        try (SnsSqsPath queue = new SnsSqsPath(Emulator.template())) {
            com.amazonaws.services.lambda.runtime.events.SQSEvent batch = queue.poll("SendQueue");
            assertEquals(1, batch.getRecords().size());
            dev.tandem.port.SendQueue.Job job = dev.tandem.aws.sqs.SqsSendQueue.job(batch.getRecords().get(0).getBody());
            org.junit.jupiter.api.Assertions.assertThrows(Freeze.class, () -> crashing.send(List.of(job), clock.instant()));
            // The job was never deleted: SQS delivers it again once its visibility timeout ends.
            queue.makeVisible("SendQueue", batch);

            clock.advance(Duration.ofMinutes(1));
            Map<String, Object> d1 = decide();
            // The sweep passes over the claimed run, the sender over the begun send: both may still be under way.
            assertEquals(2, ((Map<?, ?>) d1.get("counts")).get("in-flight"), "a send within its lease may still be under way " + d1);

            clock.advance(Duration.ofMinutes(3));
            Map<String, Object> d2 = decide();
            assertEquals(1, ((Map<?, ?>) d2.get("counts")).get("unknown"), d2.toString());
        }
        clock.advance(Duration.ofDays(2));
        decide();

        assertTrue(emailsTo(di + "@example.com").isEmpty(), "never resent blindly");
        Map<?, ?> stats = api.ok("GET", "/campaigns/winter-" + run + "/stats", null).json();
        assertEquals(1L, ((Number) ((Map<?, ?>) stats.get("email")).get("unknown")).longValue());
    }

    @Test
    void aSweepShortOfTimeStopsCleanlyAndLeavesTheRestForTheNextRun() {
        start();
        define();
        String fa = contact("fa", 7);
        api.ok("POST", "/campaigns/winter-" + run + "/launch", Map.of("audience", List.of(fa)));

        // Ten seconds left is the margin the decider keeps: it stops before deciding anything.
        Map<?, ?> cut = (Map<?, ?>) Json.read(functions.decideAndSend("{}",
                new LocalContext("DeciderFunction", 10, 1024, true)), "");
        assertEquals(false, cut.get("finished"));
        assertTrue(emailsTo(fa + "@example.com").isEmpty());

        Map<String, Object> next = decide();
        assertEquals(true, next.get("finished"));
        assertEquals(1, emailsTo(fa + "@example.com").size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void previewShowsTheDecisionsAndSendsNothing() {
        start();
        define();
        String ed = contact("ed", 5);
        int emailsBefore = Moto.emails().size();
        long callsBefore = RequestCounter.INSTANCE.calls("SesV2.SendEmail");

        Map<String, Object> preview = api.ok("POST", "/campaigns/winter-" + run + "/preview", Map.of("audience", List.of(ed))).json();

        List<Map<String, Object>> decisions = (List<Map<String, Object>>) preview.get("decisions");
        assertEquals(1, decisions.size());
        assertEquals("sent", decisions.get(0).get("action"));
        assertEquals("ed, your winter picks", decisions.get(0).get("subject"));
        assertEquals(emailsBefore, Moto.emails().size());
        assertEquals(callsBefore, RequestCounter.INSTANCE.calls("SesV2.SendEmail"));
        assertTrue(Emulator.itemsMentioning(table, "RUN#winter-" + run).isEmpty(), "no run written");
    }

    @Test
    void aFutureLaunchCreatesAOneTimeScheduleInTheCampaignsZone() {
        start();
        define();
        LocalClient.Response r = api.ok("POST", "/campaigns/winter-" + run + "/launch",
                Map.of("at", "2026-12-02T09:00", "timezone", "Europe/Paris", "launchId", "paris-" + run,
                        "audience", List.of(contact("fy", 6))));
        String name = (String) r.json().get("schedule");
        assertNotNull(name);

        try (SchedulerClient scheduler = SchedulerClient.builder().httpClient(dev.tandem.aws.Sdk.http()).build()) {
            String group = Emulator.template().physicalName("DeciderScheduleGroup");
            GetScheduleResponse s = scheduler.getSchedule(b -> b.name(name).groupName(group));
            assertEquals("at(2026-12-02T09:00:00)", s.scheduleExpression());
            assertEquals("Europe/Paris", s.scheduleExpressionTimezone());
            assertEquals("DELETE", s.actionAfterCompletionAsString());
            assertTrue(s.target().arn().endsWith(":function:DeciderFunction:live"), s.target().arn());
            assertTrue(s.target().input().contains("paris-" + run));
        }
        assertEquals(Instant.parse("2026-12-02T08:00:00Z").toString(), r.json().get("at"));
    }

    @Test
    void aBadDefinitionIsRefusedNamingItsField() {
        start();
        define();
        LocalClient.Response r = api.call("PUT", "/campaigns/bad-" + run, Map.of("playbook", "email-first",
                "email", "winter-sms-" + run, "sms", "winter-sms-" + run));
        assertEquals(400, r.status());
        assertEquals("email", r.json().get("field"));
        assertFalse(Emulator.itemsMentioning(table, "CAMPAIGN#bad-" + run).stream().anyMatch(i -> i.containsKey("definition")));
        List<Map<String, AttributeValue>> none = Emulator.itemsMentioning(table, "bad-" + run);
        assertTrue(none.isEmpty(), none.toString());
    }

    @Test
    void aSecondDeliveryOfAJobCannotBeginItsSendButARetryOfTheSameWriteCan() {
        start();
        String gi = contact("gi", 6);
        dev.tandem.aws.store.DynamoDecisionStore store = dev.tandem.aws.store.DynamoDecisionStore.on(Emulator.dynamo(),
                dev.tandem.aws.store.StoreConfig.from(new dev.tandem.aws.Env(functions.environment("SenderFunction"))));
        String token = UUID.randomUUID().toString();
        dev.tandem.port.DecisionStore.Pending first = new dev.tandem.port.DecisionStore.Pending(token, "e1", T0, "attempt-1");
        dev.tandem.port.DecisionStore.Pending twin = new dev.tandem.port.DecisionStore.Pending(token, "e1", T0, "attempt-2");

        assertTrue(store.begin(gi, 0, first));
        assertTrue(store.begin(gi, 0, first), "the SDK retrying the very write whose answer was lost");
        assertFalse(store.begin(gi, 0, twin), "the same job delivered twice, read at the same sequence");
        assertEquals("attempt-1", store.view(gi, T0.minus(Duration.ofDays(1)), 10).orElseThrow().pending().attempt());
    }

    /** What a frozen runtime or a dying process is to the code it stops: nothing it can catch and carry on from. */
    private static final class Freeze extends Error {
        Freeze() {
            super("the Lambda runtime froze here");
        }
    }
}
