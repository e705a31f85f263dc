package dev.tandem.aws.store;

import dev.tandem.aws.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that meet other writers. DynamoDB cancels a transaction that touches an item another transaction is
 * writing ({@code TransactionConflict}) or that is throttled; the SDK retries neither inside a cancellation, so
 * these are tried again here, with full-jitter backoff. A condition that fails is an answer, not a fault: it is
 * never retried. Counters stay outside every transaction (they are hot items every writer would touch) and are
 * written after it, best effort.
 */
final class Writes {
    static final int ATTEMPTS = 4;
    static final long BASE_MILLIS = 25;
    static final long CAP_MILLIS = 800;
    /** The longest the backoff between attempts can add up to: what a sweep's margin must cover beside the calls. */
    static final long MAX_BACKOFF_MILLIS = CAP_MILLIS * (ATTEMPTS - 1);
    private static final Set<String> PASSING = Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded",
            "RequestLimitExceeded");

    private Writes() {
    }

    /** A transaction, tried again while DynamoDB cancels it only for conflicts or throttling. */
    static void transact(DynamoDbClient db, List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                if (!passing(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    /** Plain writes, 25 to a request, with what DynamoDB leaves unprocessed tried again with backoff. */
    static void batch(DynamoDbClient db, String table, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += 25) {
            List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> chunk = requests.subList(from, Math.min(requests.size(), from + 25));
            Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> todo = Map.of(table, chunk);
            for (int attempt = 0; !todo.isEmpty(); attempt++) {
                if (attempt > 8) {
                    throw new dev.tandem.port.StoreUnavailableException("DynamoDB left writes unprocessed after " + attempt + " attempts", null);
                }
                if (attempt > 0) {
                    backoff(attempt);
                }
                Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> request = todo;
                var r = db.batchWriteItem(b -> b.requestItems(request));
                todo = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                todo = todo.entrySet().stream().anyMatch(en -> !en.getValue().isEmpty()) ? todo : Map.of();
            }
        }
    }

    /** Plain puts of whole items. */
    static void puts(DynamoDbClient db, String table, List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> items) {
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> w = new java.util.ArrayList<>();
        for (var item : items) {
            w.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(item)).build());
        }
        batch(db, table, w);
    }

    /** A single conditional write: true when it was applied, false when its condition failed (another writer was first). */
    static boolean conditional(Runnable write) {
        try {
            write.run();
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Cancelled for conflicts or throttling alone: no condition failed, so another try can succeed. */
    static boolean passing(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons == null || reasons.isEmpty()) {
            return false;
        }
        boolean any = false;
        for (CancellationReason r : reasons) {
            String code = r.code();
            if (code == null || "None".equals(code)) {
                continue;
            }
            if (!PASSING.contains(code)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    static void backoff(int attempt) {
        long cap = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off a write", e);
        }
    }

    /**
     * Campaign counters, after the write that carried the real work: a counter that cannot be written is logged
     * and lost (the stats are off by one), never a reason to fail the work or to repeat it.
     */
    static void count(DynamoDbClient db, Update counters) {
        try {
            db.updateItem(RunItems.request(counters));
        } catch (SdkException | dev.tandem.port.StoreUnavailableException e) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("key", String.valueOf(counters.key().get(Keys.PK).s()));
            f.put("counters", counters.expressionAttributeNames().size() - 1);
            Log.error(null, "campaign counters not written; the stats miss them", f, e);
        }
    }
}
