package dev.tandem.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metrics as Embedded Metric Format log lines: one JSON object per call, in namespace {@code Tandem} with
 * the stack's name as its one dimension ({@code Stack}), which CloudWatch turns into metrics without an API call.
 * The template's alarms watch these names. Outside Lambda the line goes to standard error with the other logs.
 */
public final class Metrics {
    public static final String NAMESPACE = "Tandem";

    private final String stack;

    public Metrics(String stack) {
        this.stack = stack == null ? "tandem" : stack;
    }

    public void emit(Context ctx, long epochMillis, Map<String, ? extends Number> values) {
        if (values.isEmpty()) {
            return;
        }
        List<Object> metrics = new ArrayList<>();
        values.keySet().forEach(name -> metrics.add(Map.of("Name", name, "Unit", "Count")));
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(List.of("Stack")));
        directive.put("Metrics", metrics);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", epochMillis, "CloudWatchMetrics", List.of(directive)));
        line.put("Stack", stack);
        line.putAll(values);
        String text = Json.write(line);
        LambdaLogger logger = ctx == null ? null : ctx.getLogger();
        if (logger != null) {
            // Bytes, not a String: with the JSON log format the runtime wraps a String in its own object ("message"),
            // which hides "_aws" from CloudWatch; it writes bytes as they are.
            logger.log((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (!Boolean.getBoolean("tandem.quiet")) {
            System.err.println(text);
        }
    }
}
