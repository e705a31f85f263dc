package dev.tandem.sms;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.IngestService;
import dev.tandem.aws.testing.LambdaEvents;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ContactDraft;
import dev.tandem.contact.Reachability;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.SmsSender;
import dev.tandem.testing.InMemoryEngagementStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsEventsHandlerTest {
    private static final Instant T = Instant.parse("2026-12-01T16:00:00Z");
    private final InMemoryEngagementStore store = new InMemoryEngagementStore();
    private final List<SmsSender.Sms> sent = new ArrayList<>();
    private final dev.tandem.testing.InMemoryTestSendLog tests = new dev.tandem.testing.InMemoryTestSendLog();
    private final SmsEventsHandler handler = new SmsEventsHandler(store, m -> {
        sent.add(m);
        return "sns-" + sent.size();
    }, new IngestService.SmsTexts("stopped", "help text", "started"), tests, Clock.fixed(T, ZoneOffset.UTC));

    @BeforeEach
    void ana() {
        store.save(ContactDraft.from("c1", Map.of("email", "ana@example.com", "phone", "+14155550101",
                "consent", Map.of("sms", "subscribed")), "test", T).applyTo(null, T), null);
        store.messages.put("8f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
                new SentMessage("8f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b", "c1", Channel.SMS, "flash", "sms"));
    }

    private List<String> types() {
        return store.events("c1").stream().sorted(java.util.Comparator.comparing(TimelineEvent::at))
                .map(TimelineEvent::type).toList();
    }

    @Test
    void aQuestionAndAStopInOneBatch() {
        SQSEvent batch = LambdaEvents.batch("sms-inbound-reply", "sms-inbound-stop", "sms-inbound-stop");

        SQSBatchResponse r = handler.handleRequest(batch, null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of("sms.reply", "sms.opt_out", "sms.sent"), types());
        assertEquals(Reachability.OPTED_OUT, store.find("c1").orElseThrow().stateOf(Channel.SMS).status());
        assertEquals(List.of("stopped"), sent.stream().map(SmsSender.Sms::text).toList(), "one confirmation, then none");
        assertEquals("+14155550101", sent.get(0).to());
    }

    @Test
    void statusesMapToDeliveredOrFailedByMessageId() {
        SQSBatchResponse r = handler.handleRequest(
                LambdaEvents.batch("sms-status-delivered", "sms-status-failed", "sms-delivery-log"), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        // The End User Messaging event and the SNS log line both say delivered for one message: one delivery.
        assertEquals(List.of("sms.delivered", "sms.failed"),
                store.events("c1").stream().map(TimelineEvent::type).sorted().toList());
        assertTrue(store.events("c1").stream().allMatch(e -> "flash".equals(e.campaign())));
    }

    @Test
    void theStatusOfATestSendIsAcknowledgedAndSetAside() {
        store.messages.clear();
        tests.ids.add("8f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b");

        SQSBatchResponse r = handler.handleRequest(LambdaEvents.batch("sms-status-delivered"), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of(), store.events("c1"), "not on any timeline");
        assertTrue(store.unmatched.isEmpty(), "not kept as unmatched: " + store.unmatched);
    }

    @Test
    void helpAndStartAnswerFromTheirTexts() {
        handler.handleRequest(LambdaEvents.batch("sms-inbound-help", "sms-inbound-stop", "sms-inbound-start"), null);
        assertEquals(List.of("help text", "stopped", "started"), sent.stream().map(SmsSender.Sms::text).toList());
        assertEquals(Reachability.REACHABLE, store.find("c1").orElseThrow().stateOf(Channel.SMS).status());
    }

    @Test
    void aMalformedRecordFailsAlone() {
        SQSEvent batch = LambdaEvents.batch("sms-inbound-reply");
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.getRecords());
        records.add(0, LambdaEvents.record("no-sender", LambdaEvents.envelope("s1",
                Map.of("inboundMessageId", "i1", "messageBody", "hi"), "2026-12-01T17:00:00Z")));
        records.add(LambdaEvents.record("what", LambdaEvents.envelope("s2", Map.of("hello", "world"), "2026-12-01T17:00:00Z")));
        batch.setRecords(records);

        SQSBatchResponse r = handler.handleRequest(batch, null);

        assertEquals(List.of("no-sender", "what"), r.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(List.of("sms.reply"), types());
    }
}
