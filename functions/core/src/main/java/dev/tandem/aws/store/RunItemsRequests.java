package dev.tandem.aws.store;

import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** A transaction's update as a single UpdateItem, when it stands alone. */
final class RunItemsRequests {
    private RunItemsRequests() {
    }

    static UpdateItemRequest toRequest(Update u) {
        return UpdateItemRequest.builder()
                .tableName(u.tableName())
                .key(u.key())
                .updateExpression(u.updateExpression())
                .conditionExpression(u.conditionExpression())
                .expressionAttributeNames(u.expressionAttributeNames())
                .expressionAttributeValues(u.expressionAttributeValues())
                .build();
    }
}
