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

    /**
     * For provider clients (SES, SNS): the SDK's standard retries, with a short throttling backoff, so that a
     * throttled send costs a sweep seconds, not minutes; the sweep then gives the send back for its next run.
     */
    public static ClientOverrideConfiguration providerOverrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(20))
                .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(3)
                        .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(50), Duration.ofSeconds(1)))
                        .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(100), Duration.ofSeconds(2)))
                        .build());
        EXTRA_INTERCEPTORS.forEach(b::addExecutionInterceptor);
        return b.build();
    }

    public static ClientOverrideConfiguration overrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(20));
        EXTRA_INTERCEPTORS.forEach(b::addExecutionInterceptor);
        return b.build();
    }
}
