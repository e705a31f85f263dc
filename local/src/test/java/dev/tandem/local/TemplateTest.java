package dev.tandem.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local stack reads template.yaml: names, environments and handlers come from it, not from a copy. */
class TemplateTest {
    private final Template template = Template.load(
            Path.of(System.getProperty("tandem.root", "..")).resolve("template.yaml"));

    @Test
    void resolvesAFunctionsEnvironmentFromGlobalsAndParameters() {
        Map<String, String> env = template.environment("ApiFunction");

        assertEquals("TandemTable", env.get("TABLE_NAME"));
        assertEquals("400", env.get("RETENTION_DAYS"));
        assertEquals("16", env.get("SHARDS"));
    }

    @Test
    void readsTheHandlerOfEachFunctionByLogicalId() {
        assertEquals("dev.tandem.api.ApiHandler", template.handlerClass("ApiFunction"));
        assertTrue(template.ofType("AWS::Serverless::Function").contains("ApiFunction"));
        assertThrows(IllegalArgumentException.class, () -> template.handlerClass("TandemTable"));
    }

    @Test
    void runsOneSweepAtATimeAndDropsATickThatWaitsMoreThanAMinute() {
        Map<String, Object> decider = template.properties("DeciderFunction");
        Map<?, ?> queued = (Map<?, ?>) decider.get("EventInvokeConfig");
        Map<?, ?> target = (Map<?, ?>) template.properties("DeciderSchedule").get("Target");

        assertEquals(1, template.resolve(decider.get("ReservedConcurrentExecutions")));
        assertEquals(60, queued.get("MaximumEventAgeInSeconds"));
        assertEquals(0, queued.get("MaximumRetryAttempts"));
        assertEquals(0, ((Map<?, ?>) target.get("RetryPolicy")).get("MaximumRetryAttempts"));
    }

    @Test
    void resolvesIntrinsicsLocally() {
        assertEquals("arn:aws:dynamodb:" + template.region() + ":123456789012:table/TandemTable",
                template.resolve(Map.of("Fn::GetAtt", List.of("TandemTable", "Arn"))));
        assertEquals("TandemTable-x", template.resolve(Map.of("Fn::Sub", "${TandemTable}-x")));
    }
}
