package dev.tandem.aws.store;

import dev.tandem.aws.Sdk;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB client, built once per process with the shared HTTP client and the SDK's default chains. */
public final class Clients {
    private static volatile DynamoDbClient dynamo;

    private Clients() {
    }

    public static synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = DynamoDbClient.builder()
                    .httpClient(Sdk.http())
                    .overrideConfiguration(Sdk.overrides())
                    .build();
        }
        return dynamo;
    }
}
