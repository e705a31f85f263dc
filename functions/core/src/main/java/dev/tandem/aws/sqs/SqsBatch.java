package dev.tandem.aws.sqs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Log;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One SQS batch, record by record. A record that fails (malformed, or a store error) fails alone: it is
 * reported in {@code batchItemFailures}, so SQS redelivers it and, after {@code maxReceiveCount}, moves it
 * to the dead-letter queue. The rest of the batch is recorded.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    /** Handles one record; returns how it ended (added, duplicate, unmatched, ignored...) for the log. */
    @FunctionalInterface
    public interface RecordHandler {
        List<String> handle(SnsMessage message);
    }

    /** {@code now} stands in for a record's time only when SQS gives none (it always does in AWS). */
    public static SQSBatchResponse process(SQSEvent event, Context ctx, String function, Instant now, RecordHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage r : records) {
            try {
                SnsMessage m = SnsMessage.from(r.getBody(), r.getMessageId(), sentAt(r, now));
                if (!m.notification()) {
                    outcomes.merge("ignored", 1, Integer::sum);
                    continue;
                }
                for (String outcome : handler.handle(m)) {
                    outcomes.merge(outcome, 1, Integer::sum);
                }
            } catch (InvalidInputException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(r.getMessageId()));
                outcomes.merge("malformed", 1, Integer::sum);
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("messageId", r.getMessageId());
                f.put("field", e.field());
                f.put("error", e.getMessage());
                Log.info(ctx, "malformed record: it will be retried, then dead-lettered", f);
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(r.getMessageId()));
                outcomes.merge("failed", 1, Integer::sum);
                Log.error(ctx, "record failed: it will be retried", Map.of("messageId", String.valueOf(r.getMessageId())), e);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("function", function);
        summary.put("records", records.size());
        summary.putAll(outcomes);
        Log.info(ctx, "batch", summary);
        dev.tandem.aws.Funnel.flush(ctx, now);
        return new SQSBatchResponse(failures);
    }

    private static Instant sentAt(SQSEvent.SQSMessage r, Instant now) {
        String sent = r.getAttributes() == null ? null : r.getAttributes().get("SentTimestamp");
        if (sent != null) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(sent));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        return now;
    }
}
