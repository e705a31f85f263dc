package dev.tandem.sms;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.IngestService;
import dev.tandem.aws.Json;
import dev.tandem.aws.testing.LambdaEvents;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.contact.Reachability;
import dev.tandem.ingest.SentMessage;
import dev.tandem.port.SmsSender;
import dev.tandem.testing.InMemoryEngagementStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AWS's own published End User Messaging and SNS SMS payloads (src/test/resources/aws, sources in its SOURCES.md),
 * as SNS delivers them to SQS, through the handler; the ids and numbers in them are set to a contact's so they match.
 */
class AwsPublishedPayloadsTest {
    private static final Instant T = Instant.parse("2026-12-01T16:00:00Z");
    private static final String PHONE = "+14255550182"; // the number that texts in AWS's inbound example
    private final InMemoryEngagementStore store = new InMemoryEngagementStore();
    private final List<SmsSender.Sms> sent = new ArrayList<>();
    private final dev.tandem.testing.InMemoryTestSendLog tests = new dev.tandem.testing.InMemoryTestSendLog();
    private final SmsEventsHandler handler = new SmsEventsHandler(store, m -> {
        sent.add(m);
        return "sns-" + sent.size();
    }, new IngestService.SmsTexts("stopped", "help text", "started"), tests, Clock.fixed(T, ZoneOffset.UTC));

    @BeforeEach
    void ana() {
        store.save(ContactDraft.from("c1", Map.of("phone", PHONE, "consent", Map.of("sms", "subscribed")), "test",
                Instant.parse("2016-01-01T00:00:00Z")).applyTo(null, Instant.parse("2016-01-01T00:00:00Z")), null);
    }

    private static String resource(String name) {
        try (InputStream in = AwsPublishedPayloadsTest.class.getResourceAsStream("/aws/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(String name) {
        Map<String, Object> m = (Map<String, Object>) Json.read(resource(name), name);
        return m.containsKey("detail") && m.containsKey("detail-type") ? (Map<String, Object>) m.get("detail") : m;
    }

    /** SNS envelopes around messages, each published at its own time. */
    private static SQSEvent batch(Object... messageAndTime) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < messageAndTime.length; i += 2) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("Type", "Notification");
            envelope.put("MessageId", "sns-" + i + "-" + messageAndTime[i].hashCode());
            envelope.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:SmsTopic");
            envelope.put("Message", Json.write(messageAndTime[i]));
            envelope.put("Timestamp", messageAndTime[i + 1]);
            records.add(LambdaEvents.record("r" + i, Json.write(envelope)));
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    private static Map<String, Object> inbound(String body, String id) {
        Map<String, Object> m = payload("inbound.json");
        m.put("messageBody", body);
        m.put("inboundMessageId", id);
        return m;
    }

    private List<String> types() {
        return store.events("c1").stream().sorted(java.util.Comparator.comparing(TimelineEvent::at)).map(TimelineEvent::type).toList();
    }

    @Test
    void thePublishedInboundMessageIsAReplyOnTheTimeline() {
        SQSBatchResponse r = handler.handleRequest(batch(payload("inbound.json"), "2026-12-01T16:00:00.000Z"), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of("sms.reply"), types());
        assertEquals("EXAMPLE", store.events("c1").get(0).data().get("text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPT-OUT", "REMOVE", "ARRET", "TD", "opt-out ", "Stop", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"})
    void everyKeywordOfAwsOptOutListOptsOutAndIsNeverAReply(String keyword) {
        store.messages.put("m1", new SentMessage("m1", "c1", Channel.SMS, "flash", "sms"));

        handler.handleRequest(batch(inbound(keyword, "in-" + keyword.strip()), "2026-12-01T16:00:00.000Z"), null);

        Contact c = store.find("c1").orElseThrow();
        assertEquals(Reachability.OPTED_OUT, c.stateOf(Channel.SMS).status(), keyword);
        assertEquals(List.of("sms.opt_out", "sms.sent"), types(), "the confirmation, and no reply");
        assertTrue(store.work.isEmpty(), "a keyword triggers no reply answer");
    }

    @Test
    void aStopProcessedAfterALaterStartLeavesTheContactOptedInAndIsNotConfirmed() {
        SQSBatchResponse r = handler.handleRequest(batch(
                inbound("START", "in-start"), "2026-12-01T18:35:00.000Z",
                inbound("STOP", "in-stop"), "2026-12-01T18:30:00.000Z"), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        Contact c = store.find("c1").orElseThrow();
        assertEquals(Reachability.REACHABLE, c.stateOf(Channel.SMS).status());
        assertEquals(ConsentStatus.SUBSCRIBED, c.consent().get(Channel.SMS).status());
        assertEquals(Instant.parse("2026-12-01T18:35:00Z"), c.updatedAt(), "updatedAt never moves backwards");
        assertTrue(sent.stream().noneMatch(s -> s.text().equals("stopped")), "no 'unsubscribed' for a STOP the START overtook");
        assertEquals(List.of("sms.opt_out", "sms.opt_in"), types(), "both acts are on the timeline, in the order they happened");
    }

    @Test
    void textSuccessfulThenTextDeliveredForOneMessageIsOneDelivery() {
        Map<String, Object> successful = payload("text-successful.json");
        Map<String, Object> delivered = payload("eventbridge-text-delivered.json");
        delivered.put("messageId", successful.get("messageId"));
        String id = (String) successful.get("messageId");
        store.messages.put(id, new SentMessage(id, "c1", Channel.SMS, "flash", "sms"));

        SQSBatchResponse r = handler.handleRequest(batch(successful, "2026-12-01T16:00:00.000Z", delivered, "2026-12-01T16:00:05.000Z"), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of("sms.delivered"), types());
        assertEquals(1, store.counters.getOrDefault("flash:sms.delivered", 0));
    }

    @Test
    void snsDeliveryLogLinesForwardedFromCloudWatchLogsLandAsDeliveredAndFailed() {
        Map<String, Object> ok = payload("sns-delivery-log-success.json");
        Map<String, Object> failed = payload("sns-delivery-log-failure.json");
        String okId = (String) ((Map<?, ?>) ok.get("notification")).get("messageId");
        String failedId = (String) ((Map<?, ?>) failed.get("notification")).get("messageId");
        store.messages.put(okId, new SentMessage(okId, "c1", Channel.SMS, "flash", "sms"));
        store.messages.put(failedId, new SentMessage(failedId, "c1", Channel.SMS, "flash", "sms"));

        SQSBatchResponse r = handler.handleRequest(batch(ok, "2026-12-01T16:00:00.000Z", failed, "2026-12-01T16:00:01.000Z"), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of("sms.delivered", "sms.failed").stream().sorted().toList(), types().stream().sorted().toList());
    }

    @Test
    void mmsAndVoiceEventsOnASharedTopicAreAcknowledgedAndIgnored() {
        Map<String, Object> mms = payload("text-successful.json");
        mms.put("eventType", "MEDIA_DELIVERED");
        Map<String, Object> voice = payload("text-successful.json");
        voice.put("eventType", "VOICE_COMPLETED");

        SQSBatchResponse r = handler.handleRequest(batch(mms, "2026-12-01T16:00:00.000Z", voice, "2026-12-01T16:00:00.000Z"), null);

        assertEquals(List.of(), r.getBatchItemFailures(), "never failed, never dead-lettered");
        assertEquals(0, store.writes);
        assertTrue(store.unmatched.isEmpty());
    }

    @Test
    void anInboundIdLongerThanAnyAwsWritesFailsAloneNamingItsField() {
        SQSBatchResponse r = handler.handleRequest(batch(inbound("hello", "x".repeat(2_000)), "2026-12-01T16:00:00.000Z",
                inbound("hello again", "in-ok"), "2026-12-01T16:00:01.000Z"), null);

        assertEquals(List.of("r0"), r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(List.of("sms.reply"), types(), "the rest of the batch goes on");
    }
}
