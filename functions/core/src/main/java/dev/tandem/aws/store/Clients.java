package dev.tandem.aws.store;

import dev.tandem.aws.Sdk;
import dev.tandem.port.ItemTooLargeException;
import dev.tandem.port.StoreUnavailableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Locale;

/** The DynamoDB client, built once per process with the shared HTTP client and the SDK's default chains. */
public final class Clients {
    private static volatile DynamoDbClient dynamo;

    private Clients() {
    }

    public static synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = withSizeLimits(DynamoDbClient.builder()
                    .httpClient(Sdk.http())
                    .overrideConfiguration(Sdk.dynamoOverrides())
                    .build());
        }
        return dynamo;
    }

    /**
     * The client, with DynamoDB's refusal of an item or key over its size limit (a {@code ValidationException},
     * like a malformed request) turned into the store's own {@link ItemTooLargeException}: a failure of that one
     * item, which the caller settles and goes on from, never a failure of the whole.
     */
    static DynamoDbClient withSizeLimits(DynamoDbClient client) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof DynamoDbException d && tooLarge(d)) {
                            throw new ItemTooLargeException("an item is over DynamoDB's size limit: "
                                    + (d.awsErrorDetails() == null ? d.getMessage() : d.awsErrorDetails().errorMessage()));
                        }
                        if (unavailable(cause)) {
                            throw new StoreUnavailableException("DynamoDB " + method.getName() + " did not answer: "
                                    + cause.getClass().getSimpleName(), cause);
                        }
                        throw cause;
                    }
                });
    }

    /**
     * A failure of the store rather than of the request: no answer (a client-side failure: a timeout, a connection that
     * failed), a server error, or throttling the SDK's retries did not outlast. A condition that failed, a cancelled
     * transaction and a malformed request are answers, and stay the SDK's own exceptions.
     */
    static boolean unavailable(Throwable t) {
        if (t instanceof SdkClientException) {
            return true;
        }
        if (t instanceof AwsServiceException e && !(t instanceof TransactionCanceledException)) {
            return e.statusCode() >= 500 || e.isThrottlingException();
        }
        return false;
    }

    static boolean tooLarge(DynamoDbException e) {
        if (e instanceof TransactionCanceledException t) {
            // Inside a transaction, an item grown too large is a cancellation reason, not an error of the request.
            return t.hasCancellationReasons() && t.cancellationReasons().stream().anyMatch(r -> "ValidationError".equals(r.code())
                    && String.valueOf(r.message()).toLowerCase(Locale.ROOT).contains("size"));
        }
        if (e.awsErrorDetails() == null || !"ValidationException".equals(e.awsErrorDetails().errorCode())) {
            return false;
        }
        String m = String.valueOf(e.awsErrorDetails().errorMessage()).toLowerCase(Locale.ROOT);
        return m.contains("item size") || (m.contains("size") && m.contains("exceeded") && m.contains("key"));
    }
}
