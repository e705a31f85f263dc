package dev.tandem.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    /**
     * The Lambda Java runtime with LogFormat JSON: a String is wrapped into the runtime's own object, bytes are written
     * as they are (AbstractLambdaLogger in aws-lambda-java-libs: "there is no formatting for byte[] messages").
     */
    private static Context jsonFormatRuntime(List<String> events) {
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                events.add(Json.write(Map.of("timestamp", "2026-12-01T17:00:00Z", "level", "INFO", "message", message)));
            }

            @Override
            public void log(byte[] message) {
                events.add(new String(message, StandardCharsets.UTF_8).strip());
            }
        };
        return (Context) Proxy.newProxyInstance(MetricsTest.class.getClassLoader(), new Class<?>[]{Context.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getLogger" -> logger;
                    case "getAwsRequestId" -> "req-1";
                    default -> null;
                });
    }

    @Test
    void anEmfLineReachesCloudWatchAsItsOwnTopLevelObjectUnderTheJsonLogFormat() {
        List<String> events = new ArrayList<>();

        new Metrics("tandem-prod").emit(jsonFormatRuntime(events), 1_796_144_400_000L, Map.of("RunsFailed", 2));

        assertEquals(1, events.size());
        Map<String, Object> line = Json.object(Json.read(events.get(0), ""), "");
        Map<?, ?> aws = (Map<?, ?>) line.get("_aws");
        assertTrue(aws != null, "_aws at the top level, where CloudWatch extracts metrics: " + events.get(0));
        Map<?, ?> directive = (Map<?, ?>) ((List<?>) aws.get("CloudWatchMetrics")).get(0);
        assertEquals("Tandem", directive.get("Namespace"));
        assertEquals(List.of(List.of("Stack")), directive.get("Dimensions"));
        assertEquals("tandem-prod", line.get("Stack"));
        assertEquals(2, ((Number) line.get("RunsFailed")).intValue());
    }

    @Test
    void aLogLineIsItsOwnObjectToo() {
        List<String> events = new ArrayList<>();

        Log.info(jsonFormatRuntime(events), "batch", Map.of("records", 3));

        Map<String, Object> line = Json.object(Json.read(events.get(0), ""), "");
        assertEquals("batch", line.get("message"));
        assertEquals(3, ((Number) line.get("records")).intValue());
        assertEquals("req-1", line.get("requestId"));
    }
}
