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
        print(ctx, line);
    }

    /**
     * One line of {@link Funnel}'s: its dimension values (beside {@code Stack}), its metric {@code values}, and for each
     * metric the dimension sets it is published under ({@code sets}). Metrics with the same sets share a directive.
     */
    @SuppressWarnings("unchecked")
    void write(Context ctx, long epochMillis, Map<String, Object> funnelLine) {
        Map<String, Number> values = (Map<String, Number>) funnelLine.get("values");
        Map<String, List<List<String>>> sets = (Map<String, List<List<String>>>) funnelLine.get("sets");
        if (values == null || values.isEmpty()) {
            return;
        }
        Map<List<List<String>>, List<Object>> byDims = new LinkedHashMap<>();
        values.keySet().forEach(name -> byDims.computeIfAbsent(sets.get(name), k -> new ArrayList<>())
                .add(Map.of("Name", name, "Unit", name.endsWith("Age") ? "Milliseconds" : "Count")));
        List<Object> directives = new ArrayList<>();
        byDims.forEach((dims, metrics) -> {
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", NAMESPACE);
            directive.put("Dimensions", dims);
            directive.put("Metrics", metrics);
            directives.add(directive);
        });
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", epochMillis, "CloudWatchMetrics", directives));
        line.put("Stack", stack);
        funnelLine.forEach((k, v) -> {
            if (!k.equals("values") && !k.equals("sets")) {
                line.put(k, v);
            }
        });
        line.putAll(values);
        print(ctx, line);
    }

    private void print(Context ctx, Map<String, Object> line) {
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
