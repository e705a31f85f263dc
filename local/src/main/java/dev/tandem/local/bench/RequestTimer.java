package dev.tandem.local.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The time each kind of AWS call took, summed over calls (retries included): where an import's time goes. */
final class RequestTimer implements ExecutionInterceptor {
    static final RequestTimer INSTANCE = new RequestTimer();
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("tandem.started");
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        attrs.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attrs) {
        record(attrs);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attrs) {
        record(attrs);
    }

    private void record(ExecutionAttributes attrs) {
        Long started = attrs.getAttribute(STARTED);
        if (started != null) {
            String name = attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            nanos.computeIfAbsent(name, k -> new LongAdder()).add(System.nanoTime() - started);
        }
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        nanos.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
