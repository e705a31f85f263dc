package dev.tandem.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    /**
     * The dashboard and the alarms watch what the functions publish: every metric of namespace Tandem they name is one
     * the code emits (a renamed metric would leave a widget blank and an alarm never firing), and every dashboard
     * reference resolves to a resource the template declares.
     */
    @Test
    void theDashboardAndAlarmsNameOnlyMetricsTheFunctionsPublish() {
        List<String> named = new java.util.ArrayList<>();
        for (String id : template.ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = template.properties(id);
            if ("Tandem".equals(p.get("Namespace"))) {
                named.add(String.valueOf(p.get("MetricName")));
            }
            Object metrics = p.get("Metrics");
            if (metrics instanceof List<?> l) {
                for (Object o : l) {
                    Object stat = ((Map<?, ?>) o).get("MetricStat");
                    if (stat != null) {
                        Map<?, ?> metric = (Map<?, ?>) ((Map<?, ?>) stat).get("Metric");
                        if ("Tandem".equals(metric.get("Namespace"))) {
                            named.add(String.valueOf(metric.get("MetricName")));
                        }
                    }
                }
            }
        }
        String body = String.valueOf(((Map<?, ?>) template.properties("TandemDashboard").get("DashboardBody")).get("Fn::Sub"));
        Map<?, ?> dashboard = (Map<?, ?>) dev.tandem.aws.Json.read(body, "DashboardBody");
        for (Object w : (List<?>) dashboard.get("widgets")) {
            Map<?, ?> props = (Map<?, ?>) ((Map<?, ?>) w).get("properties");
            Object metrics = props.get("metrics");
            if (metrics instanceof List<?> l) {
                for (Object m : l) {
                    if (m instanceof List<?> row && "Tandem".equals(row.get(0))) {
                        named.add(String.valueOf(row.get(1)));
                    } else if (m instanceof Map<?, ?> expr) {
                        java.util.regex.Matcher x = java.util.regex.Pattern.compile("MetricName=\"(\\w+)\"").matcher(String.valueOf(expr.get("expression")));
                        assertTrue(x.find(), "a search names its metric: " + expr);
                        named.add(x.group(1));
                    }
                }
            }
        }
        assertTrue(named.size() > 20, "the dashboard and alarms name the funnel: " + named);
        for (String n : named) {
            assertTrue(dev.tandem.aws.Funnel.METRICS.contains(n), n + " is watched but no function publishes it");
        }
        java.util.regex.Matcher ref = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)(\\.[A-Za-z]+)?}").matcher(body);
        while (ref.find()) {
            String name = ref.group(1);
            assertTrue(name.equals("AWS") || template.resources().containsKey(name), "the dashboard names " + name);
            if (template.resources().containsKey(name)) {
                assertEquals(null, template.resource(name).get("Condition"), name + " may not exist: the dashboard cannot name it");
            }
        }
    }

    // --- what a deploy needs and the emulator cannot check: keys, publishers, operations ------------------

    /** Each topic's publishers: services from its topic policy, CloudWatch when an alarm notifies it, SES when an event destination points at it. */
    private Set<String> servicesPublishingTo(String topic) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : template.ofType("AWS::SNS::TopicPolicy")) {
            Map<String, Object> p = template.properties(id);
            if (!((List<?>) p.get("Topics")).contains(Map.of("Ref", topic))) {
                continue;
            }
            for (Map<String, Object> s : statements(p.get("PolicyDocument"))) {
                if ("Allow".equals(s.get("Effect")) && actions(s).contains("sns:Publish") && s.get("Principal") instanceof Map<?, ?> pr
                        && pr.get("Service") != null) {
                    out.addAll(strings(pr.get("Service")));
                }
            }
        }
        for (String id : template.ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = template.properties(id);
            for (String actions : List.of("AlarmActions", "OKActions", "InsufficientDataActions")) {
                if (p.get(actions) instanceof List<?> l && l.contains(Map.of("Ref", topic))) {
                    out.add("cloudwatch.amazonaws.com");
                }
            }
        }
        for (String id : template.ofType("AWS::SES::ConfigurationSetEventDestination")) {
            Object dest = Template.path(template.properties(id), "EventDestination", "SnsDestination", "TopicARN");
            if (Map.of("Ref", topic).equals(dest)) {
                out.add("ses.amazonaws.com");
            }
        }
        return out;
    }

    /** Functions whose own policies let them publish to the topic. */
    private List<String> functionsPublishingTo(String topic) {
        List<String> out = new ArrayList<>();
        for (String fn : template.ofType("AWS::Serverless::Function")) {
            for (Map<String, Object> s : functionStatements(fn)) {
                if ("Allow".equals(s.get("Effect")) && actions(s).contains("sns:Publish") && Map.of("Ref", topic).equals(s.get("Resource"))) {
                    out.add(fn);
                }
            }
        }
        return out;
    }

    private List<Map<String, Object>> functionStatements(String fn) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (template.properties(fn).get("Policies") instanceof List<?> policies) {
            for (Object p : policies) {
                if (p instanceof Map<?, ?> m && m.containsKey("Statement")) {
                    out.addAll(statements(m));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Object document) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object s : (List<?>) ((Map<?, ?>) document).get("Statement")) {
            out.add((Map<String, Object>) s);
        }
        return out;
    }

    private static List<String> actions(Map<String, Object> statement) {
        return strings(statement.get("Action"));
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        } else if (v != null) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    /** {@code !GetAtt X.Arn} and {@code Fn::GetAtt: [X, Arn]} both as "X.Arn"; null for anything else. */
    private static String getAtt(Object v) {
        if (!(v instanceof Map<?, ?> m) || !m.containsKey("Fn::GetAtt")) {
            return null;
        }
        Object a = m.get("Fn::GetAtt");
        return a instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(a);
    }

    private static boolean grantsPublishing(List<String> actions) {
        boolean dataKey = actions.contains("kms:GenerateDataKey*") || actions.contains("kms:GenerateDataKey") || actions.contains("kms:*");
        boolean decrypt = actions.contains("kms:Decrypt") || actions.contains("kms:*");
        return dataKey && decrypt;
    }

    @Test
    void everyServicePublishingToATopicMayUseThatTopicsKeyScopedToThisAccount() {
        List<String> topics = template.ofType("AWS::SNS::Topic");
        assertEquals(3, topics.size(), "SesEventsTopic, SmsTopic and AlarmTopic");
        for (String topic : topics) {
            Object keyRef = template.properties(topic).get("KmsMasterKeyId");
            assertInstanceOf(Map.class, keyRef, topic + " must be encrypted with a customer-managed key of this template, not an AWS-managed alias: " + keyRef);
            String key = String.valueOf(((Map<?, ?>) keyRef).get("Ref"));
            assertEquals("AWS::KMS::Key", template.type(key), topic + "'s key");
            Set<String> services = servicesPublishingTo(topic);
            assertFalse(services.isEmpty(), topic + " has a publisher");
            List<Map<String, Object>> keyPolicy = statements(template.properties(key).get("KeyPolicy"));
            for (String service : services) {
                boolean granted = keyPolicy.stream().anyMatch(s -> "Allow".equals(s.get("Effect"))
                        && s.get("Principal") instanceof Map<?, ?> pr && strings(pr.get("Service")).contains(service)
                        && grantsPublishing(actions(s))
                        && Template.path(s, "Condition", "StringEquals", "aws:SourceAccount") != null
                        && String.valueOf(Template.path(s, "Condition", "ArnLike", "aws:SourceArn"))
                                .contains(":" + service.substring(0, service.indexOf('.')) + ":"));
                assertTrue(granted, service + " publishes to " + topic + " but " + key + "'s policy does not let it use the key, scoped by aws:SourceAccount and aws:SourceArn");
            }
            for (String fn : functionsPublishingTo(topic)) {
                boolean granted = functionStatements(fn).stream().anyMatch(s -> "Allow".equals(s.get("Effect"))
                        && grantsPublishing(actions(s)) && (key + ".Arn").equals(getAtt(s.get("Resource"))));
                assertTrue(granted, fn + " publishes to " + topic + " and needs kms:GenerateDataKey and kms:Decrypt on " + key);
            }
        }
        assertEquals(Set.of("ses.amazonaws.com"), servicesPublishingTo("SesEventsTopic"));
        assertEquals(Set.of("sms-voice.amazonaws.com"), servicesPublishingTo("SmsTopic"));
        assertEquals(Set.of("cloudwatch.amazonaws.com"), servicesPublishingTo("AlarmTopic"));
        assertEquals(List.of("SmsDeliveryLogForwarderFunction"), functionsPublishingTo("SmsTopic"));
    }

    @Test
    void everyFunctionHasAnErrorsAndAThrottlesAlarmAndALogGroupWithARetention() {
        List<String> functions = template.ofType("AWS::Serverless::Function");
        assertTrue(functions.size() >= 5, "the four functions and the delivery-log forwarder");
        for (String fn : functions) {
            for (String metric : List.of("Errors", "Throttles")) {
                boolean alarmed = template.ofType("AWS::CloudWatch::Alarm").stream().map(template::properties).anyMatch(p ->
                        "AWS/Lambda".equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                                && String.valueOf(p.get("Dimensions")).contains("{Ref=" + fn + "}")
                                && ((List<?>) p.get("AlarmActions")).contains(Map.of("Ref", "AlarmTopic")));
                assertTrue(alarmed, fn + " has no " + metric + " alarm on AlarmTopic");
            }
            Object group = Template.path(template.properties(fn), "LoggingConfig", "LogGroup");
            assertInstanceOf(Map.class, group, fn + " logs to a log group of the template");
            String id = String.valueOf(((Map<?, ?>) group).get("Ref"));
            assertEquals("AWS::Logs::LogGroup", template.type(id));
            assertNotNull(template.properties(id).get("RetentionInDays"), id + " keeps logs for a set time");
        }
    }

    @Test
    void everyQueueFeedingAFunctionHasAnAgeAlarmAndTheDecidersFailuresAreKept() {
        for (String fn : template.ofType("AWS::Serverless::Function")) {
            if (!(template.properties(fn).get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            for (Object e : events.values()) {
                Map<?, ?> ev = (Map<?, ?>) e;
                if (!"SQS".equals(ev.get("Type"))) {
                    continue;
                }
                String queue = getAtt(((Map<?, ?>) ev.get("Properties")).get("Queue")).replace(".Arn", "");
                boolean alarmed = template.ofType("AWS::CloudWatch::Alarm").stream().map(template::properties).anyMatch(p ->
                        "ApproximateAgeOfOldestMessage".equals(p.get("MetricName")) && String.valueOf(p.get("Dimensions")).contains(queue));
                assertTrue(alarmed, queue + " has no age alarm");
            }
        }
        Object onFailure = Template.path(template.properties("DeciderFunction"), "EventInvokeConfig", "DestinationConfig", "OnFailure", "Destination");
        assertEquals("DeciderFailuresQueue.Arn", getAtt(onFailure));
        assertEquals(Map.of("Ref", "AlarmTopic"), template.properties("AlarmEmailSubscription").get("TopicArn"));
        assertEquals("HasAlarmEmail", template.resource("AlarmEmailSubscription").get("Condition"));
    }

    @Test
    void theApiLogsItsAccessesWithoutPathsAndThrottlesEveryRouteAndTheTableCannotBeDeletedByAccident() {
        Map<String, Object> api = template.properties("TandemHttpApi");
        Map<?, ?> access = (Map<?, ?>) api.get("AccessLogSettings");
        assertEquals("ApiAccessLogGroup.Arn", getAtt(access.get("DestinationArn")));
        String format = String.valueOf(access.get("Format"));
        assertTrue(format.contains("$context.routeKey"), format);
        assertFalse(format.contains("$context.path"), "a path can hold a contact id, which may be an email address");
        Map<?, ?> routes = (Map<?, ?>) api.get("DefaultRouteSettings");
        assertNotNull(routes.get("ThrottlingRateLimit"));
        assertNotNull(routes.get("ThrottlingBurstLimit"));
        assertEquals(true, template.properties("TandemTable").get("DeletionProtectionEnabled"));
    }

    @Test
    void theDecidersTimeoutLeavesRoomForItsMarginAndAFullSweep() {
        int timeout = (Integer) template.resolve(template.properties("DeciderFunction").get("Timeout"));
        assertTrue(timeout * 1000L >= 3 * dev.tandem.decider.DeciderHandler.MARGIN_MILLIS,
                "a sweep keeps " + dev.tandem.decider.DeciderHandler.MARGIN_MILLIS + " ms for the send in progress and its record; "
                        + timeout + " s leaves too little to sweep");
    }

    @Test
    void theSendersAreFedBySendQueueWithinTheirConcurrencyAndOnlyTheyMaySend() {
        Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) template.properties("SenderFunction").get("Events")).get("SendJobs");
        Map<?, ?> props = (Map<?, ?>) source.get("Properties");
        assertEquals("SQS", source.get("Type"));
        assertEquals("SendQueue.Arn", getAtt(props.get("Queue")));
        assertEquals(List.of("ReportBatchItemFailures"), props.get("FunctionResponseTypes"));
        assertEquals(Map.of("Ref", "SenderConcurrency"), ((Map<?, ?>) props.get("ScalingConfig")).get("MaximumConcurrency"));
        int batch = (Integer) props.get("BatchSize");
        assertTrue(batch <= 10 || ((Integer) props.get("MaximumBatchingWindowInSeconds")) >= 1,
                "SQS takes a batch above ten only with a batching window");
        assertEquals("SendDeadLetterQueue.Arn", getAtt(((Map<?, ?>) template.properties("SendQueue").get("RedrivePolicy")).get("deadLetterTargetArn")));

        String decider = String.valueOf(template.properties("DeciderFunction").get("Policies"));
        String sender = String.valueOf(template.properties("SenderFunction").get("Policies"));
        assertFalse(decider.contains("ses:SendEmail") || decider.contains("sns:Publish"), "the decider sends nothing");
        assertTrue(decider.contains("sqs:SendMessage"), "the decider queues its claimed sends");
        assertTrue(sender.contains("ses:SendEmail") && sender.contains("sns:Publish"));
        assertTrue(template.environment("DeciderFunction").get("SEND_QUEUE_URL").endsWith("SendQueue"),
                template.environment("DeciderFunction").toString());
    }

    @Test
    void aSendCannotOutliveItsLeaseNorAJobItsVisibility() {
        int timeout = (Integer) template.resolve(template.properties("SenderFunction").get("Timeout"));
        java.time.Duration lease = java.time.Duration.parse(String.valueOf(template.resolve(Map.of("Ref", "SendLease"))));
        assertTrue(lease.getSeconds() > timeout, "a send still running when its lease ends would be taken for crashed: " + lease);
        int visibility = (Integer) template.properties("SendQueue").get("VisibilityTimeout");
        assertTrue(visibility >= 6 * timeout, "Lambda's advice for an SQS event source: six times the timeout, " + visibility);
        assertTrue(dev.tandem.sender.SenderHandler.worstSend().getSeconds() < timeout,
                "a send begun before the sender's margin ends within its timeout");
    }

    @Test
    void importFilesLandInAPrivateEncryptedBucketThatNotifiesImportQueueForCsvAndJsonLinesUnderImports() {
        Map<String, Object> bucket = template.properties("ImportBucket");
        assertNotNull(Template.path(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration"));
        Map<?, ?> block = (Map<?, ?>) bucket.get("PublicAccessBlockConfiguration");
        for (String k : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertEquals(true, block.get(k), k);
        }
        List<String> suffixes = new ArrayList<>();
        for (Object o : (List<?>) Template.path(bucket, "NotificationConfiguration", "QueueConfigurations")) {
            Map<?, ?> q = (Map<?, ?>) o;
            assertEquals("ImportQueue.Arn", getAtt(q.get("Queue")));
            Map<String, String> rules = new java.util.HashMap<>();
            for (Object r : (List<?>) Template.path(q, "Filter", "S3Key", "Rules")) {
                rules.put(String.valueOf(((Map<?, ?>) r).get("Name")), String.valueOf(((Map<?, ?>) r).get("Value")));
            }
            assertEquals("imports/", rules.get("prefix"));
            suffixes.add(rules.get("suffix"));
        }
        assertEquals(List.of(".csv", ".jsonl"), suffixes);
        assertEquals("ImportQueuePolicy", template.resource("ImportBucket").get("DependsOn"), "S3 checks the queue's policy when the notification is set");
        Map<String, Object> allow = statements(template.properties("ImportQueuePolicy").get("PolicyDocument")).get(0);
        assertEquals(Map.of("Service", "s3.amazonaws.com"), allow.get("Principal"));
        assertNotNull(Template.path(allow, "Condition", "StringEquals", "aws:SourceAccount"), "only this account's buckets");
        assertEquals("ImportDeadLetterQueue.Arn", getAtt(((Map<?, ?>) template.properties("ImportQueue").get("RedrivePolicy")).get("deadLetterTargetArn")));
    }

    @Test
    void importFunctionTakesImportQueueOneMessageAtATimeWithinItsVisibilityAndMayTouchOnlyItsOwnPrefixes() {
        Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) template.properties("ImportFunction").get("Events")).get("Imports");
        Map<?, ?> props = (Map<?, ?>) source.get("Properties");
        assertEquals("ImportQueue.Arn", getAtt(props.get("Queue")));
        assertEquals(1, props.get("BatchSize"));
        assertEquals(List.of("ReportBatchItemFailures"), props.get("FunctionResponseTypes"));
        int timeout = (Integer) template.properties("ImportFunction").get("Timeout");
        assertTrue((Integer) template.properties("ImportQueue").get("VisibilityTimeout") >= 6 * timeout);
        assertTrue(timeout * 1000L >= 5 * dev.tandem.importer.ImportHandler.MARGIN_MILLIS, "room for windows beside the margin");
        for (Map<String, Object> st : functionStatements("ImportFunction")) {
            for (String a : actions(st)) {
                assertFalse(a.endsWith(":*") || a.startsWith("sns:") || a.startsWith("ses:"), a);
                if (a.startsWith("s3:")) {
                    assertTrue(String.valueOf(st.get("Resource")).contains("/import"), a + " only under imports/ and import-parts/: " + st.get("Resource"));
                }
            }
        }
        assertTrue(template.environment("ImportFunction").get("IMPORT_QUEUE_URL").endsWith("ImportQueue"));
    }
}
