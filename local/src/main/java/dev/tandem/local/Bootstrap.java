package dev.tandem.local;

import dev.tandem.aws.Sdk;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates on the emulator (or LocalStack) what template.yaml declares and the local stack can hold:
 * the table with its indexes and TTL, topics, queues with their redrive, subscriptions, the SES sender
 * identity and configuration set, the schedule group, the import bucket (its notification is not set: the
 * emulator runs no event sources, and {@code ./tandem import} delivers it), and the events bus, its rules and the
 * Firehose stream to the events bucket (the stream's event source before the bus is {@link StreamSource}'s). Safe to run again: what exists is left alone.
 */
public final class Bootstrap {
    private final Template template;
    private final List<String> created = new ArrayList<>();

    public Bootstrap(Template template) {
        this.template = template;
    }

    private List<String> ofType(String type) {
        List<String> out = new ArrayList<>();
        for (String id : template.ofType(type)) {
            Object condition = template.resource(id).get("Condition");
            if (condition == null || template.condition(String.valueOf(condition))) {
                out.add(id);
            }
        }
        return out;
    }

    public List<String> run() {
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClient(Sdk.http()).build();
             SnsClient sns = SnsClient.builder().httpClient(Sdk.http()).build();
             SqsClient sqs = SqsClient.builder().httpClient(Sdk.http()).build();
             SesV2Client ses = SesV2Client.builder().httpClient(Sdk.http()).build();
             SchedulerClient scheduler = SchedulerClient.builder().httpClient(Sdk.http()).build()) {
            for (String id : ofType("AWS::DynamoDB::Table")) {
                table(ddb, id);
            }
            for (String id : ofType("AWS::SNS::Topic")) {
                sns.createTopic(r -> r.name(template.physicalName(id)));
                created.add("topic " + template.physicalName(id));
            }
            // Dead-letter queues first: a queue's redrive policy names its DLQ.
            List<String> queues = new ArrayList<>(ofType("AWS::SQS::Queue"));
            queues.sort((a, b) -> Boolean.compare(hasRedrive(a), hasRedrive(b)));
            for (String id : queues) {
                queue(sqs, id);
            }
            for (String id : ofType("AWS::SNS::Subscription")) {
                Map<String, Object> p = template.properties(id);
                String topic = String.valueOf(template.resolve(p.get("TopicArn")));
                String endpoint = String.valueOf(template.resolve(p.get("Endpoint")));
                String protocol = String.valueOf(p.get("Protocol"));
                boolean exists = sns.listSubscriptionsByTopic(r -> r.topicArn(topic)).subscriptions().stream()
                        .anyMatch(s -> s.endpoint().equals(endpoint));
                if (!exists) {
                    sns.subscribe(r -> r.topicArn(topic).protocol(protocol).endpoint(endpoint));
                }
                created.add("subscription " + id);
            }
            for (String id : ofType("AWS::SES::EmailIdentity")) {
                String identity = template.physicalName(id);
                try {
                    ses.createEmailIdentity(r -> r.emailIdentity(identity));
                } catch (software.amazon.awssdk.services.sesv2.model.SesV2Exception e) {
                    rethrowUnlessExists(e);
                }
                created.add("email identity " + identity);
            }
            for (String id : ofType("AWS::SES::ConfigurationSet")) {
                String name = template.physicalName(id);
                try {
                    ses.createConfigurationSet(r -> r.configurationSetName(name));
                } catch (software.amazon.awssdk.services.sesv2.model.SesV2Exception e) {
                    rethrowUnlessExists(e);
                }
                created.add("configuration set " + name);
            }
            for (String id : ofType("AWS::S3::Bucket")) {
                String name = template.physicalName(id);
                try (S3Client s3 = S3Client.builder().httpClient(Sdk.http()).forcePathStyle(true).build()) {
                    s3.createBucket(r -> r.bucket(name));
                } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException
                         | software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException e) {
                    // exists
                }
                created.add("bucket " + name);
            }
            eventsOut();
            for (String id : ofType("AWS::Scheduler::ScheduleGroup")) {
                String name = template.physicalName(id);
                try {
                    scheduler.createScheduleGroup(r -> r.name(name));
                } catch (ConflictException e) {
                    // exists
                }
                created.add("schedule group " + name);
            }
        }
        return created;
    }

    /**
     * The events-out path after EventRecordsFunction: the bus, the Firehose stream to the events bucket (buckets are made first),
     * and the bus's rules with their targets.
     */
    private void eventsOut() {
        try (EventBridgeClient events = EventBridgeClient.builder().httpClient(Sdk.http()).build();
             FirehoseClient firehose = FirehoseClient.builder().httpClient(Sdk.http()).build()) {
            for (String id : ofType("AWS::Events::EventBus")) {
                String name = template.physicalName(id);
                try {
                    events.createEventBus(r -> r.name(name));
                } catch (software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException e) {
                    // exists
                }
                created.add("event bus " + name);
            }
            for (String id : ofType("AWS::KinesisFirehose::DeliveryStream")) {
                deliveryStream(firehose, id);
            }
            for (String id : ofType("AWS::Events::Rule")) {
                rule(events, id);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void deliveryStream(FirehoseClient firehose, String id) {
        String name = template.physicalName(id);
        Map<String, Object> s3 = (Map<String, Object>) template.resolve(template.properties(id).get("ExtendedS3DestinationConfiguration"));
        List<Processor> processors = new ArrayList<>();
        Map<String, Object> processing = (Map<String, Object>) s3.getOrDefault("ProcessingConfiguration", Map.of());
        for (Object o : (List<Object>) processing.getOrDefault("Processors", List.of())) {
            Map<String, Object> p = (Map<String, Object>) o;
            List<ProcessorParameter> params = new ArrayList<>();
            for (Object q : (List<Object>) p.getOrDefault("Parameters", List.of())) {
                Map<String, Object> pp = (Map<String, Object>) q;
                params.add(ProcessorParameter.builder().parameterName(String.valueOf(pp.get("ParameterName")))
                        .parameterValue(String.valueOf(pp.get("ParameterValue"))).build());
            }
            processors.add(Processor.builder().type(String.valueOf(p.get("Type"))).parameters(params).build());
        }
        try {
            firehose.createDeliveryStream(r -> r.deliveryStreamName(name).deliveryStreamType("DirectPut")
                    .extendedS3DestinationConfiguration(d -> d
                            .bucketARN(String.valueOf(s3.get("BucketARN")))
                            .roleARN(String.valueOf(s3.get("RoleARN")))
                            .prefix((String) s3.get("Prefix"))
                            .errorOutputPrefix((String) s3.get("ErrorOutputPrefix"))
                            .processingConfiguration(pc -> pc.enabled(Boolean.parseBoolean(String.valueOf(processing.get("Enabled"))))
                                    .processors(processors))));
        } catch (software.amazon.awssdk.services.firehose.model.ResourceInUseException e) {
            // exists
        }
        created.add("delivery stream " + name);
    }

    @SuppressWarnings("unchecked")
    private void rule(EventBridgeClient events, String id) {
        Map<String, Object> p = (Map<String, Object>) template.resolve(template.properties(id));
        String bus = String.valueOf(p.getOrDefault("EventBusName", "default"));
        String name = template.physicalName(id);
        events.putRule(r -> r.name(name).eventBusName(bus).eventPattern(dev.tandem.aws.Json.write(p.get("EventPattern")))
                .state(String.valueOf(p.getOrDefault("State", "ENABLED"))));
        List<software.amazon.awssdk.services.eventbridge.model.Target> targets = new ArrayList<>();
        for (Object o : (List<Object>) p.getOrDefault("Targets", List.of())) {
            Map<String, Object> t = (Map<String, Object>) o;
            targets.add(software.amazon.awssdk.services.eventbridge.model.Target.builder()
                    .id(String.valueOf(t.get("Id"))).arn(String.valueOf(t.get("Arn")))
                    .roleArn((String) t.get("RoleArn")).inputPath((String) t.get("InputPath")).build());
        }
        events.putTargets(r -> r.rule(name).eventBusName(bus).targets(targets));
        created.add("rule " + name);
    }

    /** Running the bootstrap again finds what it made before: LocalStack and moto say so in different ways. */
    private static void rethrowUnlessExists(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        if (!code.contains("AlreadyExists") && !String.valueOf(e.getMessage()).contains("already exists")) {
            throw e;
        }
    }

    private boolean hasRedrive(String queueId) {
        return template.properties(queueId).containsKey("RedrivePolicy");
    }

    private void queue(SqsClient sqs, String id) {
        Map<String, Object> p = template.properties(id);
        Map<QueueAttributeName, String> attrs = new EnumMap<>(QueueAttributeName.class);
        if (p.containsKey("VisibilityTimeout")) {
            attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(template.resolve(p.get("VisibilityTimeout"))));
        }
        if (p.containsKey("MessageRetentionPeriod")) {
            attrs.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(template.resolve(p.get("MessageRetentionPeriod"))));
        }
        if (p.containsKey("RedrivePolicy")) {
            Object redrive = template.resolve(p.get("RedrivePolicy"));
            attrs.put(QueueAttributeName.REDRIVE_POLICY, dev.tandem.aws.Json.write(redrive));
        }
        sqs.createQueue(r -> r.queueName(template.physicalName(id)).attributes(attrs));
        created.add("queue " + template.physicalName(id));
    }

    /**
     * Creates a copy of a table of template.yaml under another name: a simulation or a test suite gets a table
     * of its own, so that what it finds due is only its own.
     */
    public String tableCopy(String logicalId, String name) {
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClient(Sdk.http()).build()) {
            table(ddb, logicalId, name);
        }
        return name;
    }

    /** Whether a table is there: a simulation's kept table, say. */
    public boolean tableExists(String name) {
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClient(Sdk.http()).build()) {
            ddb.describeTable(r -> r.tableName(name));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            return false;
        }
    }

    /** Drops a table a simulation or a test made for itself. */
    public void dropTable(String name) {
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClient(Sdk.http()).build()) {
            ddb.deleteTable(r -> r.tableName(name));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            // already gone
        }
    }

    private void table(DynamoDbClient ddb, String id) {
        table(ddb, id, template.physicalName(id));
    }

    private void table(DynamoDbClient ddb, String id, String name) {
        Map<String, Object> p = template.properties(id);
        List<AttributeDefinition> defs = new ArrayList<>();
        for (Object o : (List<?>) p.get("AttributeDefinitions")) {
            Map<String, Object> d = Template.map(o);
            defs.add(AttributeDefinition.builder()
                    .attributeName((String) d.get("AttributeName"))
                    .attributeType((String) d.get("AttributeType")).build());
        }
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        Object gsiList = p.get("GlobalSecondaryIndexes");
        if (gsiList != null) {
            for (Object o : (List<?>) gsiList) {
                Map<String, Object> g = Template.map(o);
                gsis.add(GlobalSecondaryIndex.builder()
                        .indexName((String) g.get("IndexName"))
                        .keySchema(keys(g.get("KeySchema")))
                        .projection(Projection.builder().projectionType(ProjectionType.fromValue(
                                (String) Template.map(g.get("Projection")).get("ProjectionType"))).build())
                        .build());
            }
        }
        CreateTableRequest.Builder req = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(defs)
                .keySchema(keys(p.get("KeySchema")))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!gsis.isEmpty()) {
            req.globalSecondaryIndexes(gsis);
        }
        Object stream = p.get("StreamSpecification");
        if (stream != null) {
            String view = (String) Template.map(stream).get("StreamViewType");
            req.streamSpecification(st -> st.streamEnabled(true).streamViewType(view));
        }
        try {
            ddb.createTable(req.build());
            Object ttl = p.get("TimeToLiveSpecification");
            if (ttl != null) {
                String attr = (String) Template.map(ttl).get("AttributeName");
                ddb.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(t -> t.attributeName(attr).enabled(true)));
            }
        } catch (ResourceInUseException e) {
            // the table exists on this emulator
        }
        created.add("table " + name);
    }

    private static List<KeySchemaElement> keys(Object schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (Object o : (List<?>) schema) {
            Map<String, Object> k = Template.map(o);
            out.add(KeySchemaElement.builder()
                    .attributeName((String) k.get("AttributeName"))
                    .keyType((String) k.get("KeyType")).build());
        }
        return out;
    }

    /** The environment each function gets locally, by logical id. */
    public Map<String, Map<String, String>> environments() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String fn : template.ofType("AWS::Serverless::Function")) {
            out.put(fn, template.environment(fn));
        }
        return out;
    }
}
