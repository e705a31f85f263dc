package dev.tandem.aws.store;

import dev.tandem.contact.Channel;
import dev.tandem.port.RateTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.Map;
import java.util.Objects;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;

/**
 * The sending rate's tokens on the table: one small item per channel and second, whose counter a sender moves on by
 * the tokens it takes, on the condition that the second has them left. The item expires a few minutes later.
 */
public final class DynamoRateTokens implements RateTokens {
    private final DynamoDbClient db;
    private final StoreConfig config;

    public DynamoRateTokens(DynamoDbClient db, StoreConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public long take(Channel channel, long second, int n, int quota) {
        try {
            UpdateItemResponse r = db.updateItem(u -> u.tableName(config.table())
                    .key(DynamoContactStore.key(Keys.rate(channel.wire()), Keys.second(second)))
                    .updateExpression("SET #type = :type, #exp = :exp ADD #taken :n")
                    .conditionExpression("attribute_not_exists(#taken) OR #taken < :quota")
                    .expressionAttributeNames(Map.of("#type", Keys.TYPE, "#exp", Keys.EXPIRES_AT, "#taken", "taken"))
                    .expressionAttributeValues(Map.of(":type", s("rate"), ":exp", n(second + 300), ":n", n(n), ":quota", n(quota)))
                    .returnValues(ReturnValue.UPDATED_NEW));
            return Long.parseLong(r.attributes().get("taken").n()) - n;
        } catch (ConditionalCheckFailedException e) {
            return -1;
        }
    }
}
