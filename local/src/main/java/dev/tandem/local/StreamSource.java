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
 * What Lambda's DynamoDB stream event source does for SummaryFunction, on the emulator (which runs no event sources):
 * reads the table's stream from where it last stopped, keeps the records the template's filter keeps (new timeline
 * events), and runs the handler on them in batches. The local stack drains it before the API and the decider run, so
 * that a segment sees every event written before, as it does a moment later in AWS.
 */
public final class StreamSource {
    static final String FUNCTION = "SummaryFunction";
    private static final int BATCH = 500;

    private final LocalFunctions functions;
    private final Map<String, String> positions = new HashMap<>();
    private DynamoDbStreamsClient streams;
    private String streamArn;

    StreamSource(LocalFunctions functions) {
        this.functions = functions;
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
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            handed += drain(shard.shardId());
        }
        return handed;
    }

    /**
     * One shard, from where it stopped: batches of kept records handed over in order. A batch the function reports as
     * failed stops the shard at the record before the first failure, so that the next drain gives it again, as
     * Lambda's event source does.
     */
    private int drain(String shardId) {
        String after = positions.get(shardId);
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
                if (kept(rec)) {
                    batch.add(lambdaRecord(rec));
                    if (batch.size() == BATCH) {
                        if (!handOver(shardId, batch, read)) {
                            return handed;
                        }
                        handed += BATCH;
                    }
                }
            }
            iterator = page.records().isEmpty() ? null : page.nextShardIterator();
        }
        int n = batch.size();
        if (n > 0 && !handOver(shardId, batch, read)) {
            return handed;
        }
        if (!read.isEmpty()) {
            positions.put(shardId, read.get(read.size() - 1));
        }
        return handed + n;
    }

    /** Runs the function on a batch; false (the shard's position before the failed record) when it reports a failure. */
    @SuppressWarnings("unchecked")
    private boolean handOver(String shardId, List<Map<String, Object>> batch, List<String> read) {
        String answer = functions.invoke(FUNCTION, Json.write(Map.of("Records", List.copyOf(batch))),
                functions.context(FUNCTION, true));
        batch.clear();
        Map<String, Object> response = (Map<String, Object>) Json.read(answer, "SummaryFunction's answer");
        List<Map<String, Object>> failures = (List<Map<String, Object>>) response.getOrDefault("batchItemFailures", List.of());
        if (failures.isEmpty()) {
            positions.put(shardId, read.get(read.size() - 1));
            return true;
        }
        String failed = String.valueOf(failures.get(0).get("itemIdentifier"));
        int at = read.indexOf(failed);
        if (at > 0) {
            positions.put(shardId, read.get(at - 1));
        }
        System.err.println("SummaryFunction failed a batch at " + failed + "; the next drain gives it again");
        return false;
    }

    /** The template's filter: an inserted item of type event. */
    private static boolean kept(Record rec) {
        if (!"INSERT".equals(rec.eventNameAsString()) || rec.dynamodb().newImage() == null) {
            return false;
        }
        AttributeValue type = rec.dynamodb().newImage().get("type");
        return type != null && "event".equals(type.s());
    }

    /** A stream record as Lambda hands it to a function. */
    private static Map<String, Object> lambdaRecord(Record rec) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("Keys", json(rec.dynamodb().keys()));
        dynamodb.put("NewImage", json(rec.dynamodb().newImage()));
        dynamodb.put("SequenceNumber", rec.dynamodb().sequenceNumber());
        dynamodb.put("StreamViewType", "NEW_IMAGE");
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
