package dev.tandem.sender;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.Dispatch;
import dev.tandem.aws.Metrics;
import dev.tandem.testing.InMemoryDecisionStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SenderHandlerTest {
    private final Dispatch dispatch = new Dispatch(new InMemoryDecisionStore(4),
            email -> {
                throw new AssertionError("nothing to send");
            },
            sms -> {
                throw new AssertionError("nothing to send");
            },
            channel -> { },
            new Dispatch.Settings("https://t.example.com", Duration.ofHours(2), Duration.ofMinutes(3), 200, Duration.ofMinutes(1), 4, 10));
    private final SenderHandler handler = new SenderHandler(dispatch, Clock.fixed(Instant.parse("2026-12-01T17:00:00Z"), ZoneOffset.UTC),
            new Metrics("test"));

    private static SQSEvent.SQSMessage record(String id, String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        return m;
    }

    @Test
    void aRecordThatIsNotAJobFailsAloneAndNamesWhatIsWrong() {
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(
                record("m1", "{\"contactId\":\"c1\",\"campaign\":\"w\",\"occurrence\":\"l1\",\"token\":\"t\"}"),
                record("m2", "{\"contactId\":\"c1\",\"campaign\":\"w\"}"),
                record("m3", "not json")));

        SenderHandler.Outcome o = handler.process(e, null);

        assertEquals(List.of("m2", "m3"), o.response().getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(1, o.result().counts().get("stale"), "a job whose run is not there sends nothing: " + o.result().counts());
    }
}
