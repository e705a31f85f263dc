package dev.tandem.local.bench;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The average DynamoDB size of a table's profile items and of their engagement summary items, from a sample. */
final class ItemSizes {
    private ItemSizes() {
    }

    /**
     * {profile bytes, summary bytes}: up to 1,000 profiles of audience shard 0, and the summaries of the first 100 that
     * have one. Its client waits minutes: the first index query after a table's writes has the emulator index the whole
     * table again (seconds at 100,000 contacts), which the count that follows then does not pay.
     */
    static double[] average(String table) {
        return average(PATIENT, table);
    }

    /**
     * A client that waits minutes for the emulator, counted and metered like the functions' own: what the bench reads
     * segments with, so that an emulator re-indexing its table is slow, not a failure.
     */
    static final DynamoDbClient PATIENT = DynamoDbClient.builder()
            .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofMinutes(5))
                    .apiCallAttemptTimeout(java.time.Duration.ofMinutes(5))
                    .addExecutionInterceptor(dev.tandem.local.RequestCounter.INSTANCE)
                    .addExecutionInterceptor(UnitMeter.INSTANCE))
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                    .socketTimeout(java.time.Duration.ofMinutes(5)).build())
            .build();

    private static double[] average(DynamoDbClient db, String table) {
        List<Map<String, AttributeValue>> profiles = db.query(q -> q.tableName(table).indexName("GSI1")
                .keyConditionExpression("GSI1PK = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("AUD#0")))
                .limit(1000)).items();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> p : profiles.subList(0, Math.min(100, profiles.size()))) {
            keys.add(Map.of("PK", p.get("PK"), "SK", AttributeValue.fromS("SUMMARY")));
        }
        List<Map<String, AttributeValue>> summaries = keys.isEmpty() ? List.of()
                : db.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder().keys(keys).build())))
                .responses().getOrDefault(table, List.of());
        return new double[]{profiles.stream().mapToLong(UnitMeter::size).average().orElse(0),
                summaries.stream().mapToLong(UnitMeter::size).average().orElse(0)};
    }
}
