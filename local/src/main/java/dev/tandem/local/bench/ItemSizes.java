package dev.tandem.local.bench;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** The average DynamoDB size of a table's profile items and engagement summary items, from one shard of each. */
final class ItemSizes {
    private ItemSizes() {
    }

    /** {profile bytes, summary bytes}, averaged over up to 1,000 items of each kind on index shard 0. */
    static double[] average(DynamoDbClient db, String table) {
        return new double[]{average(db, table, "AUD#0"), average(db, table, "SUM#0")};
    }

    private static double average(DynamoDbClient db, String table, String partition) {
        List<Map<String, AttributeValue>> items = db.query(q -> q.tableName(table).indexName("GSI1")
                .keyConditionExpression("GSI1PK = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition)))
                .limit(1000)).items();
        return items.stream().mapToLong(UnitMeter::size).average().orElse(0);
    }
}
