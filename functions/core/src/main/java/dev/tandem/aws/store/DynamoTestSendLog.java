package dev.tandem.aws.store;

import dev.tandem.contact.Channel;
import dev.tandem.port.TestSendLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.DynamoContactStore.key;

/** Test sends' message ids, one small item each ({@code MSG#{id}} / {@code TEST}), kept as long as events are. */
public final class DynamoTestSendLog implements TestSendLog {
    private final DynamoDbClient db;
    private final StoreConfig config;

    public DynamoTestSendLog(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void remember(String messageId, Channel channel, Instant at) {
        Map<String, AttributeValue> item = key(Keys.message(messageId), Keys.TEST);
        item.put(Keys.TYPE, s("test-message"));
        item.put("channel", s(channel.wire()));
        item.put("at", s(at.toString()));
        item.put(Keys.EXPIRES_AT, n(EventItems.expiry(at, config.retention())));
        db.putItem(r -> r.tableName(config.table()).item(item));
    }

    @Override
    public boolean claim(String testId, Instant at) {
        Map<String, AttributeValue> item = key(Keys.testSend(testId), Keys.TEST);
        item.put(Keys.TYPE, s("test-send"));
        item.put("at", s(at.toString()));
        item.put(Keys.EXPIRES_AT, n(at.plus(java.time.Duration.ofDays(1)).getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(config.table()).item(item).conditionExpression("attribute_not_exists(PK)"));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean isTest(String messageId) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(config.table()).key(key(Keys.message(messageId), Keys.TEST))
                .projectionExpression(Keys.PK)).item();
        return item != null && !item.isEmpty();
    }
}
