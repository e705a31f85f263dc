package dev.tandem.eventsout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import dev.tandem.out.OutRecords;
import dev.tandem.timeline.TimelineEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code EventRecordsFunction}: the enrichment of {@code EventsPipe}. The pipe reads the table's stream, keeps new
 * timeline events and writes to runs, and hands them here as a JSON array of stream records; this answers the array of
 * records to publish (docs/events-out.md), which the pipe puts on {@code TandemBus}. A run's write yields one record per
 * decision line it added to the run's history (the new image's lines past the old image's). A record of anything else
 * yields nothing. A stream record that cannot be read fails the batch with a message naming it: the pipe retries,
 * halves the batch, and at last dead-letters that record's stream position.
 */
public final class EventRecordsHandler implements RequestStreamHandler {

    public EventRecordsHandler() {
    }

    /** The local stack's constructor (every function has one); nothing here reads the environment or the clock. */
    public EventRecordsHandler(Env env, Clock clock) {
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Object input = Json.read(in);
        List<Map<String, Object>> records = records(input);
        Log.info(context, "event records", Map.of("streamRecords", input instanceof List<?> l ? l.size() : 0, "records", records.size()));
        Json.write(out, records);
    }

    /** The records of a batch of stream records, in order. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> records(Object input) {
        if (!(input instanceof List<?> batch)) {
            throw new IllegalArgumentException("the pipe's batch is not a JSON array of stream records");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!(batch.get(i) instanceof Map<?, ?> rec)) {
                throw new IllegalArgumentException("stream record " + i + " is not an object");
            }
            try {
                out.addAll(of((Map<String, Object>) rec));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("stream record " + i + " (" + rec.get("eventID") + "): " + e.getMessage(), e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> of(Map<String, Object> rec) {
        String name = String.valueOf(rec.get("eventName"));
        Map<String, Object> ddb = (Map<String, Object>) rec.get("dynamodb");
        if (ddb == null || !(ddb.get("NewImage") instanceof Map) || name.equals("REMOVE")) {
            return List.of();
        }
        Map<String, Object> item = DynamoJson.item((Map<String, Object>) ddb.get("NewImage"));
        Object type = item.get("type");
        String pk = item.get("PK") instanceof String s ? s : "";
        if (!pk.startsWith("C#")) {
            return List.of();
        }
        String contact = pk.substring(2);
        if ("event".equals(type) && name.equals("INSERT")) {
            return List.of(OutRecords.event(event(contact, item)));
        }
        if ("run".equals(type)) {
            int before = 0;
            if (ddb.get("OldImage") instanceof Map<?, ?> old) {
                Object h = DynamoJson.item((Map<String, Object>) old).get("history");
                before = h instanceof List<?> l ? l.size() : 0;
            }
            Object history = item.get("history");
            if (!(history instanceof List<?> lines)) {
                return List.of();
            }
            return OutRecords.decisions(contact, required(item, "campaign"), required(item, "occurrence"), before,
                    (List<Map<String, Object>>) lines);
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static TimelineEvent event(String contact, Map<String, Object> item) {
        Object data = item.get("data");
        return new TimelineEvent(required(item, "eventId"), contact, required(item, "eventType"),
                Instant.parse(required(item, "at")), (String) item.get("campaign"), (String) item.get("step"),
                (String) item.get("messageId"), data instanceof Map ? (Map<String, Object>) data : Map.of());
    }

    private static String required(Map<String, Object> item, String name) {
        if (!(item.get(name) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("the item has no " + name);
        }
        return s;
    }

    /** DynamoDB's JSON form of an item ({@code {"S": "x"}}, {@code {"N": "1"}}, ...) as plain values. */
    static final class DynamoJson {
        private DynamoJson() {
        }

        static Map<String, Object> item(Map<String, Object> image) {
            Map<String, Object> out = new LinkedHashMap<>();
            image.forEach((k, v) -> out.put(k, value(v, k)));
            return out;
        }

        @SuppressWarnings("unchecked")
        private static Object value(Object v, String path) {
            if (!(v instanceof Map<?, ?> m) || m.size() != 1) {
                throw new IllegalArgumentException(path + " is not an attribute value");
            }
            Map.Entry<String, Object> e = ((Map<String, Object>) m).entrySet().iterator().next();
            Object x = e.getValue();
            return switch (e.getKey()) {
                case "S", "B" -> String.valueOf(x);
                case "N" -> number(String.valueOf(x));
                case "BOOL" -> Boolean.TRUE.equals(x) || "true".equals(String.valueOf(x));
                case "NULL" -> null;
                case "M" -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    ((Map<String, Object>) x).forEach((k, y) -> out.put(k, value(y, path + "." + k)));
                    yield out;
                }
                case "L" -> {
                    List<Object> out = new ArrayList<>();
                    List<Object> l = (List<Object>) x;
                    for (int i = 0; i < l.size(); i++) {
                        out.add(value(l.get(i), path + "[" + i + "]"));
                    }
                    yield out;
                }
                case "SS", "BS" -> List.copyOf((List<Object>) x);
                case "NS" -> ((List<Object>) x).stream().map(n -> number(String.valueOf(n))).toList();
                default -> throw new IllegalArgumentException(path + " has an unknown type " + e.getKey());
            };
        }

        private static Object number(String n) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException e) {
                return new java.math.BigDecimal(n);
            }
        }
    }
}
