package dev.tandem.local.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The DynamoDB capacity units the requests of this process would consume on AWS, computed from the items themselves
 * (the emulator reports none): each write request unit is a kilobyte of the item written (two in a transaction), each
 * read request unit four kilobytes read consistently (half that from the index, which reads eventually), and an index
 * entry is written again whenever its item changes (the table's one index projects every attribute), twice when
 * its key moves. An update's size is the item after it: the meter asks for it ({@code ReturnValues=ALL_NEW}), which
 * changes no write.
 */
final class UnitMeter implements ExecutionInterceptor {
    static final UnitMeter INSTANCE = new UnitMeter();
    static final String INDEX_PK = "GSI1PK";

    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();

    /** Units so far: {write, read}. */
    double[] snapshot() {
        return new double[]{writeUnits.sum(), readUnits.sum()};
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attrs) {
        if (context.request() instanceof UpdateItemRequest u && u.returnValues() == null) {
            return u.toBuilder().returnValues(ReturnValue.ALL_NEW).build();
        }
        return context.request();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attrs) {
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        if (request instanceof GetItemRequest && response instanceof GetItemResponse g && g.hasItem()) {
            readUnits.add(Math.ceil(size(g.item()) / 4096.0));
        } else if (request instanceof QueryRequest q && response instanceof QueryResponse r) {
            long bytes = r.items().stream().mapToLong(UnitMeter::size).sum();
            double units = Math.max(1, Math.ceil(bytes / 4096.0));
            readUnits.add(q.indexName() != null || !Boolean.TRUE.equals(q.consistentRead()) ? units / 2 : units);
        } else if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest b
                && response instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse r) {
            // Each item read rounds up to 4 KB; an eventually consistent read costs half.
            for (var table : b.requestItems().entrySet()) {
                boolean consistent = Boolean.TRUE.equals(table.getValue().consistentRead());
                for (var item : r.responses().getOrDefault(table.getKey(), java.util.List.of())) {
                    double units = Math.ceil(size(item) / 4096.0);
                    readUnits.add(consistent ? units : units / 2);
                }
            }
        } else if (request instanceof PutItemRequest p) {
            writeUnits.add(put(p.item(), 1));
        } else if (request instanceof UpdateItemRequest u && response instanceof UpdateItemResponse r) {
            writeUnits.add(update(u.updateExpression(), u.expressionAttributeNames(), r.attributes(), 1));
        } else if (request instanceof DeleteItemRequest) {
            writeUnits.add(1);
        } else if (request instanceof BatchWriteItemRequest b) {
            for (var writes : b.requestItems().values()) {
                for (WriteRequest w : writes) {
                    writeUnits.add(w.putRequest() != null ? put(w.putRequest().item(), 1) : 1);
                }
            }
        } else if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem w : t.transactItems()) {
                // An update's item is not in a transaction's answer: counted as one kilobyte, as the runs and guards are.
                writeUnits.add(w.put() != null ? put(w.put().item(), 2) : 2);
            }
        }
    }

    private static double put(Map<String, AttributeValue> item, int per) {
        double units = per * Math.ceil(size(item) / 1024.0);
        return item.containsKey(INDEX_PK) ? units + Math.ceil(size(item) / 1024.0) : units;
    }

    private static double update(String expression, Map<String, String> names, Map<String, AttributeValue> after, int per) {
        double kb = Math.ceil(Math.max(1, size(after)) / 1024.0);
        double units = per * kb;
        boolean movesKey = names != null && names.containsValue(INDEX_PK) && expression.contains("SET") && after.containsKey(INDEX_PK);
        boolean leaves = names != null && names.containsValue(INDEX_PK) && !after.containsKey(INDEX_PK);
        if (movesKey) {
            units += 2 * kb;
        } else if (leaves) {
            units += 1;
        } else if (after.containsKey(INDEX_PK)) {
            units += kb;
        }
        return units;
    }

    /** An item's size as DynamoDB counts it: attribute names and values, in bytes. */
    static long size(Map<String, AttributeValue> item) {
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return n;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 1;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasM()) {
            return 3 + size(v.m()) + v.m().size();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> size(x) + 1).sum();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(x -> x.getBytes(StandardCharsets.UTF_8).length).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(x -> x.length() / 2 + 1).sum();
        }
        return 1;
    }
}
