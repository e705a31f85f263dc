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
 * {@code EventRecordsFunction}: the table's stream, filtered by its event source to new timeline events, writes to
 * runs and removed profiles, published as records (docs/events-out.md) on {@code TandemBus}, source {@code tandem},
 * detail-type the record's type. A new timeline event is one record; a run's write, one per decision line it added to
 * the run's history (the new image's lines past the old image's); a new line of a consent history, a
 * {@code consent.changed} record; a removed profile, a {@code contact.erased} record.
 * Records go out in the stream's order, ten to a PutEvents call. When a stream record cannot be read, or its records
 * are not all taken, it is reported as the batch's first failure: Lambda gives the batch again from it, halves it, and
 * at last sends its stream position to the dead-letter queue. Records of it already taken may go twice: a record's id
 * says what it is of, and consumers drop what they have seen.
 */
public final class EventRecordsHandler implements RequestStreamHandler {
    /** Where the records go: true for each one the bus took, in order. */
    public interface Bus {
        List<Boolean> put(List<Map<String, Object>> records);
    }

    private final Bus bus;

    public EventRecordsHandler() {
        this(Env.system(), Clock.systemUTC());
    }

    public EventRecordsHandler(Env env, Clock clock) {
        this(new EventBridgeBus(env.require("EVENT_BUS_NAME")));
    }

    public EventRecordsHandler(Bus bus) {
        this.bus = java.util.Objects.requireNonNull(bus, "bus");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Object input = Json.read(in);
        List<Object> batch = input instanceof Map<?, ?> m && m.get("Records") instanceof List<?> l ? (List<Object>) l : List.of();
        int published = 0;
        String failed = null;
        List<Map<String, Object>> pending = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        String unreadable = null;
        for (int i = 0; i < batch.size() && failed == null; i++) {
            Map<String, Object> rec = batch.get(i) instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
            String sequence = sequence(rec);
            try {
                for (Map<String, Object> record : records(List.of(rec))) {
                    pending.add(record);
                    owners.add(sequence);
                }
            } catch (RuntimeException e) {
                Log.error(context, "stream record not published: it will be retried, then dead-lettered",
                        Map.of("sequence", String.valueOf(sequence), "error", String.valueOf(e.getMessage())), null);
                unreadable = sequence;
                break;
            }
            // Whole PutEvents calls while reading on: at most nine records wait.
            while (pending.size() >= 10 && failed == null) {
                failed = send(pending, owners, 10, context);
                published += failed == null ? 10 : 0;
            }
        }
        // What came before a failure goes out first: Lambda takes every record before the reported one as done.
        while (!pending.isEmpty() && failed == null) {
            int n = Math.min(10, pending.size());
            failed = send(pending, owners, n, context);
            published += failed == null ? n : 0;
        }
        if (failed == null) {
            failed = unreadable;
        }
        Log.info(context, "event records", Map.of("streamRecords", batch.size(), "published", published,
                "retryFrom", failed == null ? "" : failed));
        List<Object> failures = failed == null ? List.of() : List.of(Map.of("itemIdentifier", failed));
        Json.write(out, Map.of("batchItemFailures", failures));
    }

    /** Puts the first {@code n} pending records; null, or the sequence number of the first one the bus did not take. */
    private String send(List<Map<String, Object>> pending, List<String> owners, int n, Context context) {
        List<Map<String, Object>> chunk = new ArrayList<>(pending.subList(0, n));
        List<Boolean> taken;
        try {
            taken = bus.put(chunk);
        } catch (RuntimeException e) {
            Log.error(context, "PutEvents failed: the batch is given again from its first record not taken",
                    Map.of("sequence", owners.get(0)), e);
            return owners.get(0);
        }
        for (int i = 0; i < n; i++) {
            if (i >= taken.size() || !taken.get(i)) {
                return owners.get(i);
            }
        }
        pending.subList(0, n).clear();
        owners.subList(0, n).clear();
        return null;
    }

    private static String sequence(Map<String, Object> rec) {
        Object ddb = rec.get("dynamodb");
        Object seq = ddb instanceof Map<?, ?> d ? d.get("SequenceNumber") : null;
        return seq == null ? String.valueOf(rec.get("eventID")) : String.valueOf(seq);
    }

    /** The records of a list of stream records, in order. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> records(Object input) {
        if (!(input instanceof List<?> batch)) {
            throw new IllegalArgumentException("the batch is not a JSON array of stream records");
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
        if (ddb != null && name.equals("REMOVE") && ddb.get("Keys") instanceof Map<?, ?> keys) {
            return erased(rec, ddb, DynamoJson.item((Map<String, Object>) keys));
        }
        if (ddb == null || !(ddb.get("NewImage") instanceof Map)) {
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
        if ("consent".equals(type) && name.equals("INSERT")) {
            return List.of(OutRecords.consent(contact, required(item, "SK").substring("CONSENT#".length()), consentLine(item)));
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
    private static dev.tandem.contact.ConsentEntry consentLine(Map<String, Object> item) {
        Map<String, String> evidence = new java.util.LinkedHashMap<>();
        if (item.get("evidence") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> evidence.put(String.valueOf(k), String.valueOf(v)));
        }
        return new dev.tandem.contact.ConsentEntry(dev.tandem.contact.Channel.parse("channel", required(item, "channel")),
                required(item, "status"), required(item, "source"), Instant.parse(required(item, "at")), evidence);
    }

    /** A profile removed is a contact erased (profiles have no TTL: only an erasure removes one). */
    private static List<Map<String, Object>> erased(Map<String, Object> rec, Map<String, Object> ddb, Map<String, Object> keys) {
        String pk = keys.get("PK") instanceof String s ? s : "";
        if (!pk.startsWith("C#") || !"PROFILE".equals(keys.get("SK"))) {
            return List.of();
        }
        Object when = ddb.get("ApproximateCreationDateTime");
        Instant at = when instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : Instant.EPOCH;
        return List.of(OutRecords.erased(pk.substring(2), required(rec, "eventID"), at));
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
