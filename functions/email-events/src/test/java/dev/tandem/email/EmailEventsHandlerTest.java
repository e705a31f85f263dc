package dev.tandem.email;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.testing.LambdaEvents;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.ContactDraft;
import dev.tandem.contact.Reachability;
import dev.tandem.testing.InMemoryEngagementStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailEventsHandlerTest {
    private static final Instant T = Instant.parse("2026-12-01T16:00:00Z");
    private final InMemoryEngagementStore store = new InMemoryEngagementStore();
    private final EmailEventsHandler handler = new EmailEventsHandler(store, Clock.fixed(T, ZoneOffset.UTC));

    @BeforeEach
    void ana() {
        store.save(ContactDraft.from("c1", Map.of("email", "ana@example.com", "phone", "+14155550101",
                "consent", Map.of("email", "subscribed")), "test", T).applyTo(null, T), null);
    }

    private List<String> types() {
        return store.events("c1").stream().map(TimelineEvent::type).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ses-delivery, email.delivered",
            "ses-open-human, email.open",
            "ses-open-machine, email.open",
            "ses-click, email.click",
            "ses-bounce-permanent, email.bounce",
            "ses-bounce-transient, email.bounce",
            "ses-complaint, email.complaint",
            "ses-reject, email.reject",
            "ses-rendering-failure, email.reject",
            "ses-delivery-delay, email.delivery_delay",
            "ses-subscription, email.unsubscribe",
            "ses-notification-bounce, email.bounce",
            "ses-notification-complaint, email.complaint",
            "ses-notification-delivery, email.delivered",
    })
    void everySampleOfEventsFolderLandsOnTheTimeline(String sample, String type) {
        SQSBatchResponse r = handler.handleRequest(LambdaEvents.sqs(LambdaEvents.sample(sample)), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of(type), types());
    }

    @Test
    void aTestSendsEventsAreAcknowledgedAndSetAsideThoughTheyNameAContactsAddress() {
        SQSEvent batch = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String type : List.of("Send", "Delivery", "Open", "Click")) {
            Map<String, Object> event = new java.util.LinkedHashMap<>();
            event.put("eventType", type);
            event.put("mail", Map.of("timestamp", "2026-12-01T17:00:00.000Z", "messageId", "m-test", "destination", List.of("ana@example.com"),
                    "tags", Map.of("tandem-test", List.of("true"))));
            event.put(type.toLowerCase(java.util.Locale.ROOT), Map.of("timestamp", "2026-12-01T17:00:01.000Z",
                    "recipients", List.of("ana@example.com"), "link", "https://shop.example.com", "userAgent", "Mozilla/5.0", "ipAddress", "192.0.2.1"));
            records.add(LambdaEvents.record("test-" + type, LambdaEvents.envelope("sns-" + type, event, "2026-12-01T17:00:02.000Z")));
        }
        batch.setRecords(records);

        SQSBatchResponse r = handler.handleRequest(batch, null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of(), types(), "a test is nobody's engagement, though its address is ana's");
        assertTrue(store.unmatched.isEmpty(), "nor kept as unmatched: " + store.unmatched);
    }

    @Test
    void aComplaintAboutATestStillUnsubscribesAndSuppresses() {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("eventType", "Complaint");
        event.put("mail", Map.of("timestamp", "2026-12-01T17:00:00.000Z", "messageId", "m-test", "destination", List.of("ana@example.com"),
                "tags", Map.of("tandem-test", List.of("true"))));
        event.put("complaint", Map.of("timestamp", "2026-12-01T17:05:00.000Z", "complaintFeedbackType", "abuse",
                "complainedRecipients", List.of(Map.of("emailAddress", "ana@example.com"))));
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(LambdaEvents.record("test-complaint", LambdaEvents.envelope("sns-c", event, "2026-12-01T17:05:01.000Z"))));

        assertEquals(List.of(), handler.handleRequest(batch, null).getBatchItemFailures());

        dev.tandem.contact.Contact ana = store.find("c1").orElseThrow();
        assertEquals(List.of("email.complaint"), types(), "the person said no to a test: it counts");
        assertEquals(dev.tandem.contact.Reachability.SUPPRESSED, ana.stateOf(dev.tandem.contact.Channel.EMAIL).status());
        assertEquals("complaint", ana.consent().get(dev.tandem.contact.Channel.EMAIL).source());
    }

    @Test
    void tandemsOwnSendSampleAddsNothing() {
        SQSBatchResponse r = handler.handleRequest(LambdaEvents.sqs(LambdaEvents.sample("ses-send")), null);
        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of(), types());
    }

    @Test
    void aBatchAsAwsBuildsItGivesTimelineStatesAndFailures() {
        SQSEvent batch = LambdaEvents.batch("ses-delivery", "ses-open-human", "ses-open-machine", "ses-click",
                "ses-open-human", "ses-notification-bounce");
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.getRecords());
        records.add(3, LambdaEvents.record("poison-1", "{\"Type\":\"Notification\",\"MessageId\":\"x\",\"Message\":\"{not json\"}"));
        records.add(LambdaEvents.record("unknown-1", LambdaEvents.envelope("sns-u", Map.of("notificationType", "Delivery",
                "mail", Map.of("timestamp", "2026-12-01T17:00:00.000Z", "messageId", "m-unknown", "destination", List.of("nobody@example.com")),
                "delivery", Map.of("timestamp", "2026-12-01T17:00:01.000Z", "recipients", List.of("nobody@example.com"))),
                "2026-12-01T17:00:02.000Z")));
        batch.setRecords(records);

        SQSBatchResponse r = handler.handleRequest(batch, null);

        assertEquals(List.of("poison-1"), r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(List.of("email.click", "email.open", "email.open", "email.bounce", "email.delivered"),
                store.events("c1").stream().sorted(java.util.Comparator.comparing(TimelineEvent::at).reversed())
                        .map(TimelineEvent::type).toList(), "the duplicate human open added nothing");
        assertEquals(1, store.events("c1").stream().filter(TimelineEvent::machine).count());
        assertEquals(Reachability.SUPPRESSED, store.find("c1").orElseThrow().stateOf(Channel.EMAIL).status());
        assertEquals(1, store.unmatched.size());
        assertEquals("nobody@example.com", store.unmatched.values().iterator().next().email());
    }

    @Test
    void aComplaintUnsubscribesAndSuppresses() {
        handler.handleRequest(LambdaEvents.sqs(LambdaEvents.sample("ses-complaint")), null);

        var c = store.find("c1").orElseThrow();
        assertEquals(ConsentStatus.UNSUBSCRIBED, c.consent().get(Channel.EMAIL).status());
        assertEquals(Reachability.SUPPRESSED, c.stateOf(Channel.EMAIL).status());
    }

    @Test
    void aTransientBounceSuppressesNothing() {
        handler.handleRequest(LambdaEvents.sqs(LambdaEvents.sample("ses-bounce-transient")), null);
        assertEquals(Reachability.REACHABLE, store.find("c1").orElseThrow().stateOf(Channel.EMAIL).status());
    }

    @Test
    void malformedNotificationsFailAloneNamingWhatIsWrong() {
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(
                LambdaEvents.record("no-type", LambdaEvents.envelope("s1", Map.of("mail", Map.of()), "2026-12-01T17:00:00Z")),
                LambdaEvents.record("bad-type", LambdaEvents.envelope("s2", Map.of("eventType", "Teleport", "mail", Map.of()), "2026-12-01T17:00:00Z")),
                LambdaEvents.record("no-mail-id", LambdaEvents.envelope("s3", Map.of("eventType", "Open", "mail", Map.of(),
                        "open", Map.of("timestamp", "2026-12-01T17:00:00Z")), "2026-12-01T17:00:00Z")),
                LambdaEvents.record("bad-time", LambdaEvents.envelope("s4", Map.of("eventType", "Open", "mail", Map.of("messageId", "m"),
                        "open", Map.of("timestamp", "yesterday")), "2026-12-01T17:00:00Z")),
                LambdaEvents.record("not-json", "<xml/>"),
                LambdaEvents.sqs(LambdaEvents.sample("ses-delivery")).getRecords().get(0)));

        SQSBatchResponse r = handler.handleRequest(batch, null);

        assertEquals(List.of("no-type", "bad-type", "no-mail-id", "bad-time", "not-json"),
                r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(List.of("email.delivered"), types());
    }
}
