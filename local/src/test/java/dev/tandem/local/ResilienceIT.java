package dev.tandem.local;

import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One bad thing never stops everything, and nothing sent goes unrecorded: the decider on the emulator (strict, as
 * AWS is) when a definition cannot render, an item is too large, a provider refuses a recipient or a whole
 * channel or gives no answer, and the record of a sent message fails.
 */
class ResilienceIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z"); // 09:00 in Los Angeles
    private static String table;
    private final SimClock clock = new SimClock(T0);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private LocalFunctions functions;
    private LocalClient api;
    private dev.tandem.aws.store.DynamoCampaignStore store;

    @BeforeAll
    static void table() {
        table = Emulator.freshTable("resilience-it");
    }

    private void start() {
        functions = new LocalFunctions(Emulator.template(), clock, Map.of("TABLE_NAME", table, "SES_RATE_PER_SECOND", "500",
                "SMS_RATE_PER_SECOND", "500", "DECISION_ECHO", "1000"));
        api = new LocalClient(functions);
        store = new dev.tandem.aws.store.DynamoCampaignStore(Emulator.dynamo(), StoreConfig.from(new Env(functions.environment("DeciderFunction"))));
    }

    @AfterEach
    void stopFailing() {
        RequestCounter.INSTANCE.stopFailing();
        RequestCounter.INSTANCE.stopThrottling();
    }

    private String contact(String id, int n, Map<String, Object> attributes) {
        api.ok("PUT", "/contacts/" + id, Map.of("email", id.replace('@', '-') + "@example.com",
                "phone", "+1415" + String.format("%07d", Math.floorMod((run + n).hashCode(), 10_000_000)),
                "timezone", "America/Los_Angeles", "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                "attributes", attributes));
        return id;
    }

    private String contact(String name, int n) {
        return contact(name + "-" + run, n, Map.of("firstName", name));
    }

    private void emailFirst(String campaign) {
        api.ok("PUT", "/templates/e-" + run, Map.of("channel", "email", "subject", "{{contact.firstName}}, your picks",
                "body", "<p>Hi {{contact.firstName}}</p>"));
        api.ok("PUT", "/templates/s-" + run, Map.of("channel", "sms", "body", "{{contact.firstName}}, {{campaign.topic}}: {{link}}"));
        api.ok("PUT", "/campaigns/" + campaign, Map.of("topic", "Winter", "playbook", "email-first",
                "email", "e-" + run, "sms", "s-" + run));
    }

    private void launch(String campaign, String... contacts) {
        assertEquals(202, api.ok("POST", "/campaigns/" + campaign + "/launch", Map.of("audience", List.of(contacts))).status());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> decide() {
        return (Map<String, Object>) Json.read(functions.decideAndSend("{\"source\":\"schedule\"}",
                functions.context("DeciderFunction", true)), "");
    }

    private static Map<?, ?> counts(Map<String, Object> sweep) {
        return (Map<?, ?>) sweep.get("counts");
    }

    private static long emailsTo(String address) {
        return Moto.emails().stream().filter(e -> e.to().contains(address)).count();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> timeline(String id) {
        return (List<Map<String, Object>>) api.ok("GET", "/contacts/" + id + "/timeline", null).json().get("items");
    }

    @SuppressWarnings("unchecked")
    private long stat(String campaign, String channel, String key) {
        Map<String, Object> c = (Map<String, Object>) api.ok("GET", "/campaigns/" + campaign + "/stats", null).json().get(channel);
        return ((Number) c.get(key)).longValue();
    }

    @Test
    void anIdWithDotsAndAtsIsEmailedAndItsEventsComeBackToIt() {
        start();
        emailFirst("dots-" + run);
        String id = contact("ana.b@" + run, 1, Map.of("firstName", "Ana"));
        launch("dots-" + run, id);

        decide();

        assertEquals(1, emailsTo(id.replace('@', '-') + "@example.com"), "SES takes the tags only encoded");
        List<Map<String, Object>> items = timeline(id);
        assertEquals("email.sent", items.get(0).get("type"));
    }

    @Test
    void aPolicyThatWouldInvalidateALiveCampaignIsRefusedAndAStoredCampaignIsNeverCheckedAgainOnRead() {
        start();
        api.ok("PUT", "/templates/alert-" + run, Map.of("channel", "sms",
                "body", "Flash sale on {{campaign.topic}}: 30% off every coat, boot and scarf until midnight tonight, in store and online. "
                        + "Show this text at the till for another 5% off. {{link}}"));
        api.ok("PUT", "/templates/detail-" + run, Map.of("channel", "email", "subject", "Flash sale", "body", "<p>Details</p>"));
        api.ok("PUT", "/campaigns/flash-" + run, Map.of("topic", "outerwear", "playbook", "sms-first", "sms", "alert-" + run,
                "email", "detail-" + run, "link", "https://shop.example.com/sale"));
        String ben = contact("ben", 2);
        launch("flash-" + run, ben);

        LocalClient.Response refused = api.call("PUT", "/policy", Map.of("maxSmsSegments", 1));

        assertEquals(409, refused.status(), refused.body());
        assertTrue(String.valueOf(refused.json().get("error")).contains("flash-" + run), refused.body());
        assertEquals(2, ((Number) api.ok("GET", "/policy", null).json().get("maxSmsSegments")).intValue(), "nothing stored");

        // Stored behind the API's back, the stricter policy still leaves the campaign readable and the decider running.
        store.putPolicy(ContactPolicy.from(Map.of("maxSmsSegments", 1)));
        try {
            assertEquals(200, api.call("GET", "/campaigns/flash-" + run, null).status());
            Map<String, Object> sweep = decide();
            assertEquals(true, sweep.get("finished"), sweep.toString());
        } finally {
            store.putPolicy(ContactPolicy.DEFAULT);
        }
    }

    @Test
    void aTemplateThatCannotRenderSettlesItsRunsAndTheSweepGoesOn() {
        start();
        emailFirst("good-" + run);
        // Stored before partials were refused: the API would not take it today.
        store.putTemplate(new MessageTemplate("partial-" + run, dev.tandem.contact.Channel.EMAIL, "Hi", "<p>{{> footer}}</p>"));
        store.putCampaign(dev.tandem.campaign.Campaign.restore("bad-" + run, Map.of("topic", "Broken", "playbook", "best-channel",
                "email", "partial-" + run)));
        assertEquals(400, api.call("PUT", "/templates/partial-" + run, Map.of("channel", "email", "subject", "Hi",
                "body", "<p>{{> footer}}</p>")).status(), "a partial is refused when a template is stored");
        String cy = contact("cy", 3);
        String dee = contact("dee", 4);
        String eli = contact("eli", 5);
        launch("bad-" + run, cy, dee);
        launch("good-" + run, eli);

        Map<String, Object> sweep = decide();

        assertEquals(true, sweep.get("finished"), sweep.toString());
        assertEquals(2, counts(sweep).get("invalid-definition"), sweep.toString());
        assertEquals(1, emailsTo(eli + "@example.com"), "the other campaign still sends");
        assertEquals(0, emailsTo(cy + "@example.com"));
        Map<?, ?> skipped = (Map<?, ?>) ((Map<?, ?>) api.ok("GET", "/campaigns/bad-" + run + "/stats", null).json().get("email")).get("skipped");
        assertEquals(2, ((Number) skipped.get("invalid-definition")).intValue(), skipped.toString());
        Map<String, Object> again = decide();
        assertNull(counts(again).get("invalid-definition"), "settled: not tried again " + again);
    }

    @Test
    void aMessageTooLargeToKeepSettlesItsRunAndTheOthersGo() {
        start();
        // The email's web version is kept for the SMS follow-up; with this subject it is over DynamoDB's 400 KB.
        api.ok("PUT", "/templates/huge-" + run, Map.of("channel", "email",
                "subject", "{{#contact.times}}{{contact.notes}}{{/contact.times}}".repeat(4), "body", "<p>Hi</p>"));
        api.ok("PUT", "/templates/s-" + run, Map.of("channel", "sms", "body", "{{campaign.topic}}: {{link}}"));
        api.ok("PUT", "/campaigns/huge-" + run, Map.of("topic", "Big", "playbook", "email-first",
                "email", "huge-" + run, "sms", "s-" + run));
        StringBuilder notes = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (notes.length() < 5_000) {
            notes.append(Integer.toString(random.nextInt(Integer.MAX_VALUE), 36)).append(' ');
        }
        List<Integer> times = java.util.Collections.nCopies(25, 1);
        String big = contact("big-" + run, 6, Map.of("firstName", "Big", "notes", notes.toString(), "times", times));
        String small = contact("small-" + run, 7, Map.of("firstName", "Small", "notes", "short", "times", times));
        launch("huge-" + run, big, small);

        Map<String, Object> sweep = decide();

        assertEquals(true, sweep.get("finished"), sweep.toString());
        assertEquals(1, counts(sweep).get("invalid-definition"), sweep.toString());
        assertEquals(0, emailsTo(big + "@example.com"));
        assertEquals(1, emailsTo(small + "@example.com"));
    }

    @Test
    void aProviderRefusingTheWholeChannelPausesItWithoutFailingTheAudienceOneByOne() {
        start();
        emailFirst("paused-" + run);
        String[] people = new String[12];
        for (int i = 0; i < people.length; i++) {
            people[i] = contact("p" + i, 30 + i);
        }
        launch("paused-" + run, people);
        RequestCounter.INSTANCE.fail("SesV2.SendEmail", r -> true, 403, "AccessDeniedException");
        long before = RequestCounter.INSTANCE.calls("SesV2.SendEmail");

        Map<String, Object> sweep = decide();

        // A sender sends several jobs of its batch at once: those already under way when the first refusal comes are refused too;
        // every later job of the channel is given back untried.
        long calls = RequestCounter.INSTANCE.calls("SesV2.SendEmail") - before;
        assertTrue(calls <= 10, "the channel paused after the first batch at most: " + calls);
        assertEquals(List.of("email"), sweep.get("paused"), sweep.toString());
        assertTrue(((Number) counts(sweep).get("paused")).intValue() >= people.length - calls, "the others wait, untried: " + sweep);
        assertEquals(0, stat("paused-" + run, "email", "providerFailures"), "nobody was failed for the account's fault");

        RequestCounter.INSTANCE.stopFailing();
        clock.advance(Duration.ofMinutes(2));
        decide();
        for (String p : people) {
            assertEquals(1, emailsTo(p + "@example.com"), p);
        }
    }

    @Test
    void aRecipientTheProviderRefusesFinishesThatRunAlone() {
        start();
        emailFirst("refused-" + run);
        String ida = contact("ida", 11);
        String jo = contact("jo", 12);
        launch("refused-" + run, ida, jo);
        RequestCounter.INSTANCE.fail("SesV2.SendEmail",
                r -> ((SendEmailRequest) r).destination().toAddresses().contains(ida + "@example.com"), 400, "MessageRejected");

        Map<String, Object> sweep = decide();

        assertEquals(1, counts(sweep).get("provider-rejected"), sweep.toString());
        assertEquals(1, emailsTo(jo + "@example.com"));
        assertEquals("email.reject", timeline(ida).get(0).get("type"));
        assertEquals(1L, stat("refused-" + run, "email", "providerFailures"));
    }

    @Test
    void aSendWhoseOutcomeIsUnknownIsRecordedSoAndNeverResent() {
        start();
        emailFirst("unknown-" + run);
        String ki = contact("ki", 13);
        launch("unknown-" + run, ki);
        RequestCounter.INSTANCE.fail("SesV2.SendEmail", r -> true, 500, "InternalFailure");
        long before = RequestCounter.INSTANCE.attempts("SesV2.SendEmail");

        decide();

        assertEquals(1, RequestCounter.INSTANCE.attempts("SesV2.SendEmail") - before, "a server error is never retried");
        Map<String, Object> sent = timeline(ki).get(0);
        assertEquals("email.sent", sent.get("type"));
        assertEquals("unknown", sent.get("outcome"));
        assertEquals(1L, stat("unknown-" + run, "email", "unknown"));
        RequestCounter.INSTANCE.stopFailing();
        clock.advance(Duration.ofHours(1));
        decide();
        assertEquals(0, emailsTo(ki + "@example.com"), "never resent");
    }

    /** The record transaction: the one whose run update is conditioned on the claim's token. */
    /** The write that moves a run on once its message is recorded: the claim's own token, the claim removed. */
    private static boolean isRecord(SdkRequest r) {
        return r instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u
                && "#claim.#token = :token".equals(u.conditionExpression()) && u.updateExpression().contains("REMOVE")
                && u.updateExpression().contains("#step");
    }

    @Test
    void aRecordThatCannotBeWrittenIsKeptOnTheTimelineAndTheRunFinishesFromItAfterItsLease() {
        start();
        emailFirst("record-" + run);
        String lu = contact("lu", 14);
        launch("record-" + run, lu);
        RequestCounter.INSTANCE.fail("DynamoDb.UpdateItem", ResilienceIT::isRecord, 500, "InternalServerError");

        Map<String, Object> first = decide();

        assertEquals(1, emailsTo(lu + "@example.com"));
        assertEquals("email.sent", timeline(lu).get(0).get("type"), "on the timeline at once " + first);
        RequestCounter.INSTANCE.stopFailing();

        clock.advance(Duration.ofMinutes(11));
        Map<String, Object> later = decide();
        assertEquals(1, counts(later).get("recovered"), later.toString());
        assertEquals(1L, stat("record-" + run, "email", "sent"));

        clock.advance(Duration.ofHours(24));
        decide();
        assertEquals(1, emailsTo(lu + "@example.com"), "never resent");
        String phone = (String) api.ok("GET", "/contacts/" + lu, null).json().get("phone");
        assertEquals(1, Moto.sms().stream().filter(s -> s.phoneNumber().equals(phone)).count(), "the follow-up went, as the claim said");
    }

    @Test
    void theCampaignCountersAreWrittenAfterTheWorkOnceABatchAndNeverInATransaction() {
        start();
        emailFirst("hot-" + run);
        String mo = contact("mo", 15);
        String ned = contact("ned", 16);
        launch("hot-" + run, mo, ned);
        RequestCounter.INSTANCE.keep("DynamoDb.TransactWriteItems", "DynamoDb.UpdateItem");

        decide();
        clock.advance(Duration.ofHours(25));
        decide();

        List<SdkRequest> kept = RequestCounter.INSTANCE.kept();
        long counterWrites = 0;
        for (SdkRequest r : kept) {
            if (r instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u) {
                counterWrites += u.key().get("SK").s().startsWith("STATS#") ? 1 : 0;
                continue;
            }
            for (TransactWriteItem w : ((TransactWriteItemsRequest) r).transactItems()) {
                String sk = w.update() != null ? w.update().key().get("SK").s()
                        : w.put() != null ? w.put().item().get("SK").s()
                        : w.conditionCheck() != null ? w.conditionCheck().key().get("SK").s() : w.delete().key().get("SK").s();
                assertFalse(sk.startsWith("STATS#"), "a counter inside a transaction: " + w);
            }
        }
        // Two emails in one sender batch, then two SMS in one: one counter write each, whatever the batch holds.
        assertEquals(2, counterWrites, "counter writes " + counterWrites);
        assertEquals(2L, stat("hot-" + run, "email", "sent"), "the counters are still written, after");
        assertEquals(2L, stat("hot-" + run, "sms", "sent"));
    }

    @Test
    void runsThatFailForAReasonOfTheirOwnSettleOneByOneAndTheSweepFinishes() {
        start();
        emailFirst("odd-" + run);
        List<String> people = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = contact("odd" + i, 40 + i);
            // A profile the store can no longer read (a zone that is not one): an error of that run alone.
            Emulator.dynamo().updateItem(r -> r.tableName(table)
                    .key(Map.of("PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("C#" + id),
                            "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PROFILE")))
                    .updateExpression("SET #z = :z").expressionAttributeNames(Map.of("#z", "timezone"))
                    .expressionAttributeValues(Map.of(":z", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("Mars/Olympus_Mons"))));
            people.add(id);
        }
        String fine = contact("fine", 50);
        people.add(fine);
        launch("odd-" + run, people.toArray(String[]::new));

        Map<String, Object> sweep = decide();

        assertEquals(true, sweep.get("finished"), "not ended as if the store were down: " + sweep);
        assertEquals(6, counts(sweep).get("invalid-definition"), sweep.toString());
        assertEquals(1, emailsTo(fine + "@example.com"));
    }
}
