package dev.tandem.aws.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Map;

/** Transactions: their puts, and why DynamoDB cancelled one, item by item. */
final class Transactions {
    static final String ABSENT = "attribute_not_exists(PK)";

    private Transactions() {
    }

    /** A put in a transaction, conditional when {@code condition} is not null. */
    static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition) {
        Put.Builder p = Put.builder().tableName(table).item(item);
        if (condition != null) {
            p.conditionExpression(condition);
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && index < reasons.size()
                && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** True when the cancellation came from a conflicting transaction, which is worth one more try. */
    static boolean conflicted(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }
}
