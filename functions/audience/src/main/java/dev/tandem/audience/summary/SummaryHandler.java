package dev.tandem.audience.summary;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.tandem.aws.Env;
import dev.tandem.aws.Log;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoSummaries;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.timeline.TimelineEvent;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code SummaryFunction}: the table's stream, filtered to new timeline events, kept as each contact's engagement
 * summary, which segments read instead of timelines. One update per contact per batch. A contact whose update failed
 * is reported by its first record's sequence number, and the stream gives the batch again from there: adding an event
 * twice adds nothing. A record that is not a timeline event is passed over.
 */
public final class SummaryHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final DynamoSummaries summaries;
    private final Clock clock;

    public SummaryHandler() {
        this(Env.system(), Clock.systemUTC());
    }

    public SummaryHandler(Env env, Clock clock) {
        this(new DynamoSummaries(Clients.dynamo(), StoreConfig.from(env)), clock);
    }

    public SummaryHandler(DynamoSummaries summaries, Clock clock) {
        this.summaries = Objects.requireNonNull(summaries, "summaries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        Map<String, List<TimelineEvent>> byContact = new LinkedHashMap<>();
        Map<String, String> firstSequence = new LinkedHashMap<>();
        int passed = 0;
        for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords() == null ? List.<DynamodbEvent.DynamodbStreamRecord>of() : event.getRecords()) {
            TimelineEvent e = timelineEvent(r);
            if (e == null) {
                passed++;
                continue;
            }
            byContact.computeIfAbsent(e.contactId(), k -> new ArrayList<>()).add(e);
            firstSequence.putIfAbsent(e.contactId(), r.getDynamodb().getSequenceNumber());
        }
        Instant now = clock.instant();
        BigInteger retryFrom = null;
        String failed = null;
        for (Map.Entry<String, List<TimelineEvent>> c : byContact.entrySet()) {
            try {
                summaries.add(c.getKey(), c.getValue(), now);
            } catch (RuntimeException ex) {
                BigInteger seq = new BigInteger(firstSequence.get(c.getKey()));
                if (retryFrom == null || seq.compareTo(retryFrom) < 0) {
                    retryFrom = seq;
                    failed = firstSequence.get(c.getKey());
                }
                Log.error(context, "summary update failed", Map.of("contact", c.getKey()), ex);
            }
        }
        Log.info(context, "summaries", Map.of("contacts", byContact.size(), "passed", passed, "retryFrom", failed == null ? "" : failed));
        List<StreamsEventResponse.BatchItemFailure> failures = failed == null ? List.of()
                : List.of(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(failed).build());
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The timeline event a stream record inserted, or null when it inserted something else or lacks a field. */
    static TimelineEvent timelineEvent(DynamodbEvent.DynamodbStreamRecord r) {
        if (!"INSERT".equals(r.getEventName()) || r.getDynamodb() == null || r.getDynamodb().getNewImage() == null) {
            return null;
        }
        Map<String, AttributeValue> img = r.getDynamodb().getNewImage();
        String pk = s(img, "PK");
        if (!"event".equals(s(img, "type")) || pk == null || !pk.startsWith("C#")) {
            return null;
        }
        String id = s(img, "eventId");
        String type = s(img, "eventType");
        String at = s(img, "at");
        if (id == null || type == null || at == null) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        AttributeValue d = img.get("data");
        if (d != null && d.getM() != null && d.getM().get("machine") != null
                && Boolean.TRUE.equals(d.getM().get("machine").getBOOL())) {
            data.put("machine", true);
        }
        try {
            return new TimelineEvent(id, pk.substring(2), type, Instant.parse(at), s(img, "campaign"), null, null, data);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String s(Map<String, AttributeValue> img, String name) {
        AttributeValue v = img.get(name);
        return v == null ? null : v.getS();
    }
}
