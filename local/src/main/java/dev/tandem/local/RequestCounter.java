package dev.tandem.local;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SDK {@link ExecutionInterceptor} that counts requests per service and operation (API calls, and the
 * HTTP attempts under them), and can make an operation throttle before it leaves the process. The
 * benchmarks count AWS requests with it; the tests prove "never twice" and "nothing lost" with it.
 */
public final class RequestCounter implements ExecutionInterceptor {
    public static final RequestCounter INSTANCE = new RequestCounter();

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final Set<String> throttled = ConcurrentHashMap.newKeySet();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<SdkRequest> kept = new CopyOnWriteArrayList<>();
    private final Set<String> keeping = ConcurrentHashMap.newKeySet();

    /** An operation made to fail with a service error before it leaves the process, when {@code when} says so. */
    private record Failure(String operation, Predicate<SdkRequest> when, int status, String code) {
    }

    private static String key(ExecutionAttributes attrs) {
        return attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        calls.computeIfAbsent(key(attrs), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
        String k = key(attrs);
        attempts.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
        for (Failure f : failures) {
            if (f.operation.equals(k) && f.when.test(context.request())) {
                throw AwsServiceException.builder()
                        .statusCode(f.status)
                        .message(f.code + " (injected by RequestCounter)")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode(f.code).errorMessage(f.code + " (injected)")
                                .serviceName(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME)).build())
                        .build();
            }
        }
        if (throttled.contains(k)) {
            throw AwsServiceException.builder()
                    .statusCode(429)
                    .message("Rate exceeded (injected by RequestCounter)")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("TooManyRequestsException")
                            .errorMessage("Rate exceeded").serviceName(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME)).build())
                    .build();
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attrs) {
        if (keeping.contains(key(attrs))) {
            kept.add(context.request());
        }
        return context.request();
    }

    /**
     * Makes an operation fail, with a service error of that HTTP status and error code, whenever {@code when} holds
     * for its request, until {@link #stopFailing}. A 5xx or throttling error is retried by the SDK, as AWS's are.
     */
    public void fail(String operation, Predicate<SdkRequest> when, int status, String code) {
        failures.add(new Failure(operation, when, status, code));
    }

    public void stopFailing() {
        failures.clear();
    }

    /** From now on, keeps every request of these operations ({@code DynamoDb.UpdateItem}...), for a test to read. */
    public void keep(String... operations) {
        kept.clear();
        keeping.clear();
        keeping.addAll(List.of(operations));
    }

    /** What was kept since {@link #keep}, which stops keeping. */
    public List<SdkRequest> kept() {
        keeping.clear();
        return List.copyOf(kept);
    }

    /** Makes an operation ({@code SesV2.SendEmail}, {@code Sns.Publish}) throttle until {@link #stopThrottling}. */
    public void throttle(String operation) {
        throttled.add(operation);
    }

    public void stopThrottling() {
        throttled.clear();
    }

    public long calls(String operation) {
        AtomicLong n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public long attempts(String operation) {
        AtomicLong n = attempts.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Calls per operation so far. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void reset() {
        calls.clear();
        attempts.clear();
    }
}
