package dev.tandem.aws;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every SDK client shares, built once per process: one HTTP client and the override configuration.
 * Region, endpoint ({@code AWS_ENDPOINT_URL}, so LocalStack and the emulator work unchanged) and
 * credentials come from the SDK's own default chains: no credentials are captured in a SnapStart snapshot.
 */
public final class Sdk {
    private static final List<ExecutionInterceptor> EXTRA_INTERCEPTORS = new CopyOnWriteArrayList<>();
    private static volatile SdkHttpClient http;

    private Sdk() {
    }

    public static synchronized SdkHttpClient http() {
        if (http == null) {
            // The JDK's HttpURLConnection may send a POST again, silently, when a kept-alive connection closes before
            // the answer: for SES and SNS that would be a second email or SMS. The SDK streams bodies of a known length,
            // which the JDK does not resend; this makes sure of it. A request without an answer is the caller's to
            // judge (a send's outcome is then unknown), never resent underneath it (SesEmailSenderTest).
            System.setProperty("sun.net.http.retryPost", "false");
            http = UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(10))
                    .build();
        }
        return http;
    }

    /**
     * Interceptors the benchmarks and tests add to count or shape requests (an {@link ExecutionInterceptor}
     * per client). Must be registered before a client is built; nothing registers one in a deployed function.
     */
    public static void addInterceptor(ExecutionInterceptor interceptor) {
        EXTRA_INTERCEPTORS.add(interceptor);
    }

    public static void clearInterceptors() {
        EXTRA_INTERCEPTORS.clear();
    }

    /** A DynamoDB attempt that has not answered by then is abandoned and retried (a transaction with its request token). */
    public static final Duration DYNAMO_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    /** The longest one DynamoDB call lasts, its retries included. */
    public static final Duration DYNAMO_CALL_TIMEOUT = Duration.ofSeconds(5);
    /** A provider call (SES, SNS) that has not answered by then has an unknown outcome; it is never retried. */
    public static final Duration PROVIDER_CALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * For provider clients (SES, SNS). A send is not idempotent, so it is tried again only when the provider surely
     * did not take it: it throttled the request, or the connection was never made. A timeout, a cut connection or a
     * server error leaves the outcome unknown; retrying could send the message twice, so the sender reports it as
     * unknown instead. The throttling backoff is short, so a throttled send costs a sweep seconds, not minutes; the
     * sweep then gives the send back for its next run.
     */
    public static ClientOverrideConfiguration providerOverrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .apiCallTimeout(PROVIDER_CALL_TIMEOUT)
                .apiCallAttemptTimeout(PROVIDER_CALL_TIMEOUT)
                .retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.standardStrategyBuilder()
                        .maxAttempts(3)
                        .retryOnException(Sdk::surelyNotTaken)
                        .treatAsThrottling(Sdk::throttled)
                        // Without it the client adds its own conditions, which retry server errors and timeouts.
                        .useClientDefaults(false)
                        .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(50), Duration.ofSeconds(1)))
                        .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(100), Duration.ofSeconds(2)))
                        .build());
        EXTRA_INTERCEPTORS.forEach(b::addExecutionInterceptor);
        return b.build();
    }

    /** A throttled request: the provider refused it before doing anything with it. */
    public static boolean throttled(Throwable t) {
        return t instanceof software.amazon.awssdk.core.exception.SdkServiceException e
                && (e.isThrottlingException() || e.statusCode() == 429);
    }

    /** Throttled, or never connected: the only failures after which a send may be tried again. */
    static boolean surelyNotTaken(Throwable t) {
        if (throttled(t)) {
            return true;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
                    || c instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * For DynamoDB: the SDK's standard retries (throttling, server errors, timeouts; a transaction keeps its request
     * token across them, so DynamoDB applies it once), each attempt bounded, the whole call bounded.
     */
    public static ClientOverrideConfiguration dynamoOverrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(DYNAMO_ATTEMPT_TIMEOUT)
                .apiCallTimeout(DYNAMO_CALL_TIMEOUT)
                .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(4)
                        .build());
        EXTRA_INTERCEPTORS.forEach(b::addExecutionInterceptor);
        return b.build();
    }

    /** The longest one call to SQS or another service without a bound of its own may take, retries included. */
    public static final Duration QUEUE_CALL_TIMEOUT = Duration.ofSeconds(20);

    public static ClientOverrideConfiguration overrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .apiCallTimeout(QUEUE_CALL_TIMEOUT);
        EXTRA_INTERCEPTORS.forEach(b::addExecutionInterceptor);
        return b.build();
    }
}
