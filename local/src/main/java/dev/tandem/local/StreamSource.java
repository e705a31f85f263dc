package dev.tandem.local;

import dev.tandem.aws.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table stream's two readers, Lambda's event sources, on the emulator (which runs no event sources), each from
 * where it last stopped, with the template's filter:
 * <ul>
 * <li>SummaryFunction's: new timeline events, in batches of 500;</li>
 * <li>EventRecordsFunction's: new timeline events, writes to runs and removed profiles, in batches of 100. The function
 * puts its records on the emulator's events bus, whose rule takes them on to Firehose and the events bucket.</li>
 * </ul>
 * The local stack drains it before the API and the decider run, so that a segment sees every event written before, as
 * it does a moment later in AWS, and after a simulation, so that the bucket holds every record.
 */
public final class StreamSource {
    static final String FUNCTION = "SummaryFunction";
    static final String EVENTS = "EventRecordsFunction";
    private static final int BATCH = 500;
    private static final int EVENTS_BATCH = 100;

    private final LocalFunctions functions;
    private final Map<String, String> positions = new HashMap<>();
    private DynamoDbStreamsClient streams;
    private String streamArn;

    /** One reader of the stream: its filter, its batch size, and what it does with a batch (false: give it again). */
    private record Reader(String name, java.util.function.Predicate<Record> kept, int batch,
                          java.util.function.Function<List<Map<String, Object>>, Boolean> handOver) {
    }

    private final List<Reader> readers;

    StreamSource(LocalFunctions functions) {
        this.functions = functions;
        this.readers = List.of(new Reader(FUNCTION, StreamSource::newEvent, BATCH, b -> lambda(FUNCTION, b)),
                new Reader(EVENTS, StreamSource::forEventsOut, EVENTS_BATCH, b -> lambda(EVENTS, b)));
    }

    /** Applies every stream record not applied yet; the number of timeline events handed to the function. */
    public synchronized int drain() {
        if (streamArn == null) {
            String table = functions.environment(FUNCTION).get("TABLE_NAME");
            try (DynamoDbClient db = DynamoDbClient.create()) {
                streamArn = db.describeTable(r -> r.tableName(table)).table().latestStreamArn();
            }
            if (streamArn == null) {
                throw new IllegalStateException("table " + table + " has no stream: create it from template.yaml");
            }
            streams = DynamoDbStreamsClient.create();
        }
        int handed = 0;
        List<Shard> shards = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
        for (Reader reader : readers) {
            for (Shard shard : shards) {
                int n = drain(reader, shard.shardId());
                if (reader.name().equals(FUNCTION)) {
                    handed += n;
                }
            }
        }
        return handed;
    }

    /**
     * One shard, from where it stopped: batches of kept records handed over in order. A batch the function reports as
     * failed stops the shard at the record before the first failure, so that the next drain gives it again, as
     * Lambda's event source does.
     */
    private int drain(Reader reader, String shardId) {
        String key = reader.name() + "/" + shardId;
        String after = positions.get(key);
        String iterator = streams.getShardIterator(r -> {
            r.streamArn(streamArn).shardId(shardId);
            if (after == null) {
                r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            }
        }).shardIterator();
        List<String> read = new ArrayList<>();
        List<Map<String, Object>> batch = new ArrayList<>();
        int handed = 0;
        while (iterator != null) {
            String it = iterator;
            GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(it).limit(1000));
            for (Record rec : page.records()) {
                read.add(rec.dynamodb().sequenceNumber());
                if (reader.kept().test(rec)) {
                    batch.add(lambdaRecord(rec));
                    if (batch.size() == reader.batch()) {
                        if (!handOver(reader, key, batch, read)) {
                            return handed;
                        }
                        handed += reader.batch();
                    }
                }
            }
            iterator = page.records().isEmpty() ? null : page.nextShardIterator();
        }
        int n = batch.size();
        if (n > 0 && !handOver(reader, key, batch, read)) {
            return handed;
        }
        if (!read.isEmpty()) {
            positions.put(key, read.get(read.size() - 1));
        }
        return handed + n;
    }

    /**
     * Hands a batch to its reader; the position moves past the batch, or, when the reader failed part of it, to just
     * before the first record it failed (before the batch when it failed the whole), for the next drain to give again.
     */
    private boolean handOver(Reader reader, String key, List<Map<String, Object>> batch, List<String> read) {
        String first = String.valueOf(((Map<?, ?>) batch.get(0).get("dynamodb")).get("SequenceNumber"));
        List<Map<String, Object>> copy = List.copyOf(batch);
        batch.clear();
        Object failedAt;
        try {
            failedAt = reader.handOver().apply(copy) ? null : first;
        } catch (PartialFailure e) {
            failedAt = e.sequence;
        }
        if (failedAt == null) {
            positions.put(key, read.get(read.size() - 1));
            return true;
        }
        int at = read.indexOf(String.valueOf(failedAt));
        if (at > 0) {
            positions.put(key, read.get(at - 1));
        } else {
            positions.remove(key);
        }
        System.err.println(reader.name() + " failed a batch at " + failedAt + "; the next drain gives it again");
        return false;
    }

    /** A reader that failed from a record on. */
    private static final class PartialFailure extends RuntimeException {
        final String sequence;

        PartialFailure(String sequence) {
            super(null, null, false, false);
            this.sequence = sequence;
        }
    }

    /** Lambda's stream event source: the batch as {"Records": [...]}, its answer's first reported failure. */
    @SuppressWarnings("unchecked")
    private boolean lambda(String function, List<Map<String, Object>> batch) {
        String answer = functions.invoke(function, Json.write(Map.of("Records", batch)), functions.context(function, true));
        Map<String, Object> response = (Map<String, Object>) Json.read(answer, function + "'s answer");
        List<Map<String, Object>> failures = (List<Map<String, Object>>) response.getOrDefault("batchItemFailures", List.of());
        if (failures.isEmpty()) {
            return true;
        }
        throw new PartialFailure(String.valueOf(failures.get(0).get("itemIdentifier")));
    }

    /** SummaryFunction's filter: an inserted item of type event. */
    private static boolean newEvent(Record rec) {
        return "INSERT".equals(rec.eventNameAsString()) && "event".equals(type(rec));
    }

    /**
     * EventRecordsFunction's filters: an inserted item of type event or consent, a run inserted or modified, a profile
     * removed.
     */
    private static boolean forEventsOut(Record rec) {
        String name = rec.eventNameAsString();
        if ("REMOVE".equals(name)) {
            AttributeValue sk = rec.dynamodb().keys().get("SK");
            return sk != null && "PROFILE".equals(sk.s());
        }
        return newEvent(rec) || ("INSERT".equals(name) && "consent".equals(type(rec)))
                || ("run".equals(type(rec)) && ("INSERT".equals(name) || "MODIFY".equals(name)));
    }

    private static String type(Record rec) {
        if (rec.dynamodb().newImage() == null) {
            return null;
        }
        AttributeValue type = rec.dynamodb().newImage().get("type");
        return type == null ? null : type.s();
    }

    /** A stream record as Lambda hands it to a function. */
    private static Map<String, Object> lambdaRecord(Record rec) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        if (rec.dynamodb().approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", rec.dynamodb().approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.put("Keys", json(rec.dynamodb().keys()));
        if (rec.dynamodb().newImage() != null && !rec.dynamodb().newImage().isEmpty()) {
            dynamodb.put("NewImage", json(rec.dynamodb().newImage()));
        }
        if (rec.dynamodb().hasOldImage() && rec.dynamodb().oldImage() != null) {
            dynamodb.put("OldImage", json(rec.dynamodb().oldImage()));
        }
        dynamodb.put("SequenceNumber", rec.dynamodb().sequenceNumber());
        dynamodb.put("StreamViewType", String.valueOf(rec.dynamodb().streamViewTypeAsString()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventID", rec.eventID());
        r.put("eventName", rec.eventNameAsString());
        r.put("eventVersion", "1.1");
        r.put("eventSource", "aws:dynamodb");
        r.put("awsRegion", rec.awsRegion());
        r.put("dynamodb", dynamodb);
        return r;
    }

    private static Map<String, Object> json(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, json(v)));
        return out;
    }

    /** An attribute value in DynamoDB's JSON form. */
    private static Map<String, Object> json(AttributeValue v) {
        if (v.s() != null) {
            return Map.of("S", v.s());
        }
        if (v.n() != null) {
            return Map.of("N", v.n());
        }
        if (v.bool() != null) {
            return Map.of("BOOL", v.bool());
        }
        if (Boolean.TRUE.equals(v.nul())) {
            return Map.of("NULL", true);
        }
        if (v.hasM()) {
            return Map.of("M", json(v.m()));
        }
        if (v.hasL()) {
            List<Object> l = new ArrayList<>();
            v.l().forEach(e -> l.add(json(e)));
            return Map.of("L", l);
        }
        if (v.hasSs()) {
            return Map.of("SS", v.ss());
        }
        if (v.hasNs()) {
            return Map.of("NS", v.ns());
        }
        if (v.b() != null) {
            return Map.of("B", encode(v.b()));
        }
        return Map.of("NULL", true);
    }

    private static String encode(SdkBytes b) {
        return Base64.getEncoder().encodeToString(b.asByteArray());
    }
}
