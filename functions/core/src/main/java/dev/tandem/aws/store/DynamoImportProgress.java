package dev.tandem.aws.store;

import dev.tandem.port.ImportProgressStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;

/** An import's progress item ({@code IMPORT#{bucket}/{key}} / {@code UPLOAD#{sequencer}}): one mapper, and its lease. */
public final class DynamoImportProgress implements ImportProgressStore {
    static final String TYPE = "import";
    /** How long a finished or abandoned import's record is kept: long enough for any late delivery of its notification. */
    static final Duration KEPT = Duration.ofDays(30);

    private final DynamoDbClient db;
    private final StoreConfig config;

    public DynamoImportProgress(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
    }

    private static Map<String, AttributeValue> key(Upload u) {
        return DynamoContactStore.key(Keys.importFile(u.bucket(), u.key()), Keys.importUpload(u.version()));
    }

    @Override
    public Optional<Progress> find(Upload upload) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).key(key(upload)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void begin(Upload upload, Progress start, Instant now) {
        Map<String, AttributeValue> item = key(upload);
        item.put(Keys.TYPE, s(TYPE));
        item.put("etag", s(upload.etag()));
        item.put("startedAt", s(now.toString()));
        item.put("leaseUntil", n(0));
        item.put(Keys.EXPIRES_AT, n(now.plus(KEPT).getEpochSecond()));
        values(start).forEach((k, v) -> {
            if (v != null) {
                item.put(k, v);
            }
        });
        Writes.conditional(() -> db.putItem(r -> r.tableName(config.table()).item(item).conditionExpression(Transactions.ABSENT)));
    }

    @Override
    public boolean lease(Upload upload, String owner, Instant now, Instant until) {
        return Writes.conditional(() -> db.updateItem(r -> r.tableName(config.table()).key(key(upload))
                .updateExpression("SET #owner = :owner, leaseUntil = :until")
                .conditionExpression("attribute_exists(PK) AND done = :false AND leaseUntil < :now")
                .expressionAttributeNames(Map.of("#owner", "owner"))
                .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()),
                        ":now", n(now.toEpochMilli()), ":false", AttributeValue.builder().bool(false).build()))));
    }

    @Override
    public boolean checkpoint(Upload upload, String owner, Progress progress) {
        return write(upload, owner, progress, false);
    }

    @Override
    public boolean release(Upload upload, String owner, Progress progress) {
        return write(upload, owner, progress, true);
    }

    private boolean write(Upload upload, String owner, Progress progress, boolean release) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : values(progress).entrySet()) {
            names.put("#p" + i, e.getKey());
            if (e.getValue() == null) {
                removes.add("#p" + i);
            } else {
                values.put(":p" + i, e.getValue());
                sets.add("#p" + i + " = :p" + i);
            }
            i++;
        }
        if (release) {
            sets.add("leaseUntil = :zero");
            values.put(":zero", n(0));
        }
        names.put("#owner", "owner");
        values.put(":owner", s(owner));
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            db.updateItem(r -> r.tableName(config.table()).key(key(upload)).updateExpression(update)
                    .conditionExpression("#owner = :owner").expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> values(Progress p) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("done", AttributeValue.builder().bool(p.done()).build());
        m.put("byteOffset", n(p.offset()));
        m.put("rowsRead", n(p.rows()));
        m.put("header", p.header() == null ? null : AttributeValue.builder().l(p.header().stream().map(AttributeValues::s).toList()).build());
        m.put("imported", n(p.imported()));
        m.put("unchanged", n(p.unchanged()));
        m.put("refused", n(p.refused()));
        m.put("parts", n(p.parts()));
        m.put("error", p.error() == null ? null : s(p.error()));
        return m;
    }

    static Progress fromItem(Map<String, AttributeValue> item) {
        AttributeValue header = item.get("header");
        return new Progress(
                Boolean.TRUE.equals(item.get("done").bool()),
                number(item, "byteOffset"),
                number(item, "rowsRead"),
                header == null || !header.hasL() ? null : header.l().stream().map(AttributeValue::s).toList(),
                number(item, "imported"),
                number(item, "unchanged"),
                number(item, "refused"),
                (int) number(item, "parts"),
                string(item, "error"));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
