package dev.tandem.local.bench;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

/**
 * In a fresh JVM: builds a DynamoDB client on one HTTP client (url-connection or CRT) and makes one request,
 * printing the milliseconds from JVM start to the answer. The bench runs it several times per client.
 */
public final class HttpClientStart {
    private HttpClientStart() {
    }

    public static void main(String[] args) {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        SdkHttpClient http = "crt".equals(args[0]) ? AwsCrtHttpClient.builder().build() : UrlConnectionHttpClient.builder().build();
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClient(http).build()) {
            ddb.getItem(r -> r.tableName(args[1]).key(Map.of(
                    "PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().s("PRIME").build(),
                    "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().s("PRIME").build())));
        }
        System.out.println(System.currentTimeMillis() - jvmStart);
        System.exit(0);
    }
}
