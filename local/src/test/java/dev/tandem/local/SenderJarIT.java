package dev.tandem.local;

import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SenderFunction's deployable, the jar the build shrank (dev.tandem.tools.Shrink), run the way Lambda runs it: in a
 * fresh JVM whose classpath holds that jar and nothing of the project besides (the runtime's serialization library and
 * the one-class runner stand in for the Lambda runtime), with template.yaml's environment, against the emulator. The
 * shrinker removed the SDK classes of the operations the sender never calls; a class it wrongly removed fails only
 * when something loads it, so the real paths are run: a claimed email and a claimed SMS, each read, sent and recorded.
 */
class SenderJarIT {
    private static final Path JAR = Emulator.root().resolve("functions/sender/target/sender-function.jar");

    private static String table;
    private static SqsClient sqs;
    private static String queueUrl;
    private static String queueArn;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    Path dir;

    @BeforeAll
    static void tableAndQueue() {
        table = Emulator.freshTable("sender-jar-it");
        sqs = SqsClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).build();
        // A send queue of its own, so that no other test's sender takes these jobs, nor these senders another's.
        queueUrl = sqs.createQueue(r -> r.queueName("sender-jar-it-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
        queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @AfterAll
    static void dropQueue() {
        if (sqs != null) {
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
            sqs.close();
        }
    }

    /** The run is claimed now, in real time: the sender in the child JVM reads the claim with its own clock. */
    private LocalFunctions functions() {
        return new LocalFunctions(Emulator.template(), Clock.systemUTC(), Map.of("TABLE_NAME", table,
                "SEND_QUEUE_URL", queueUrl, "SES_RATE_PER_SECOND", "500", "SMS_RATE_PER_SECOND", "500"));
    }

    @Test
    void theShrunkJarIsTheOneUnderTest() throws Exception {
        ShrunkJar.assertShrunk(JAR, "software/amazon/awssdk/services/sesv2/transform/SendEmailRequestMarshaller.class",
                "software/amazon/awssdk/services/sesv2/transform/CreateContactRequestMarshaller.class", "functions/sender");
    }

    @Test
    void answersAJobWhoseRunDoesNotExist() throws Exception {
        Map<String, Object> job = Map.of("contactId", "nobody-" + run, "campaign", "none-" + run, "occurrence", "launch-1",
                "token", UUID.randomUUID().toString(), "attempt", 0);
        Map<String, Object> record = record("m-" + run, "receipt-" + run, Json.write(job), Map.of());

        ShrunkJar.Child child = runSender(functions(), List.of(record));

        child.assertClean();
        assertEquals(Map.of("batchItemFailures", List.of()), child.answer(), "nothing to send, nothing to retry");
    }

    @Test
    @SuppressWarnings("unchecked")
    void sendsAClaimedEmailThroughSesAndAClaimedSmsThroughSns() throws Exception {
        LocalFunctions functions = functions();
        LocalClient api = new LocalClient(functions);
        String zone = daytimeZone();
        define(api, zone);
        String ana = "ana-" + run;
        String bo = "bo-" + run;
        api.ok("POST", "/campaigns/email-" + run + "/launch", Map.of("audience", List.of(ana)));
        api.ok("POST", "/campaigns/sms-" + run + "/launch", Map.of("audience", List.of(bo)));
        String boPhone = (String) api.ok("GET", "/contacts/" + bo, null).json().get("phone");

        // The real decider claims both sends and queues them; it sends nothing itself.
        functions.invoke("DeciderFunction", "{\"source\":\"schedule\"}", functions.context("DeciderFunction", true));
        List<Map<String, Object>> jobs = receive(2);
        assertEquals(List.of(ana, bo), jobs.stream()
                .map(r -> (String) ((Map<String, Object>) Json.read((String) r.get("body"), "body")).get("contactId"))
                .sorted().toList());
        assertEquals(0, emailsTo(ana).size(), "the decider only queued the email");
        assertEquals(0, smsTo(boPhone).size(), "the decider only queued the SMS");

        ShrunkJar.Child child = runSender(functions, jobs);

        child.assertClean();
        assertEquals(Map.of("batchItemFailures", List.of()), child.answer());
        List<Moto.SentEmail> emails = emailsTo(ana);
        assertEquals(1, emails.size(), "SES SendEmail from the shrunk jar");
        assertEquals("ana, your winter picks", emails.get(0).subject());
        assertEquals(1, smsTo(boPhone).size(), "SNS Publish from the shrunk jar");
        // Recorded in the table by the child's DynamoDB client: the timeline carries SES's own message id.
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + ana + "/timeline", null)
                .json().get("items");
        assertEquals("email.sent", timeline.get(0).get("type"));
        assertEquals(emails.get(0).id(), timeline.get(0).get("messageId"));
        List<Map<String, Object>> boTimeline = (List<Map<String, Object>>) api.ok("GET", "/contacts/" + bo + "/timeline", null)
                .json().get("items");
        assertEquals("sms.sent", boTimeline.get(0).get("type"));
    }

    private void define(LocalClient api, String zone) {
        api.ok("PUT", "/templates/email-" + run, Map.of("channel", "email", "subject", "{{contact.firstName}}, your winter picks",
                "body", "<p>Hi {{contact.firstName}}</p>"));
        api.ok("PUT", "/templates/sms-" + run, Map.of("channel", "sms",
                "body", "{{contact.firstName}}, your {{campaign.topic}} picks: {{link}}"));
        api.ok("PUT", "/campaigns/email-" + run, Map.of("topic", "Winter collection", "playbook", "email-first",
                "email", "email-" + run, "sms", "sms-" + run, "followUpAfter", "PT24H"));
        api.ok("PUT", "/campaigns/sms-" + run, Map.of("topic", "Winter collection", "playbook", "sms-first",
                "email", "email-" + run, "sms", "sms-" + run));
        for (String name : List.of("ana", "bo")) {
            String id = name + "-" + run;
            api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com",
                    "phone", "+1310" + String.format("%07d", Math.floorMod(id.hashCode(), 10_000_000)),
                    "timezone", zone, "consent", Map.of("email", "subscribed", "sms", "subscribed"),
                    "attributes", Map.of("firstName", name)));
        }
    }

    /** A zone where it is the middle of the day now, so that no quiet hours hold either send back. */
    private static String daytimeZone() {
        Instant now = Instant.now();
        return ZoneId.getAvailableZoneIds().stream().filter(z -> z.matches("(America|Europe|Asia|Pacific|Australia)/[A-Za-z_]+"))
                .sorted()
                .filter(z -> {
                    LocalTime t = now.atZone(ZoneId.of(z)).toLocalTime();
                    return !t.isBefore(LocalTime.of(11, 0)) && t.isBefore(LocalTime.of(15, 0));
                })
                .findFirst().orElseThrow();
    }

    /** Receives the queued jobs as the records of an SQS event, as Lambda's event source would hand them over. */
    private static List<Map<String, Object>> receive(int expected) throws InterruptedException {
        List<Map<String, Object>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (records.size() < expected && System.nanoTime() < deadline) {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
                Map<String, String> attributes = new LinkedHashMap<>();
                m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
                records.add(record(m.messageId(), m.receiptHandle(), m.body(), attributes));
            }
        }
        assertEquals(expected, records.size(), "jobs the decider queued");
        return records;
    }

    private static Map<String, Object> record(String id, String receipt, String body, Map<String, String> attributes) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", id);
        r.put("receiptHandle", receipt);
        r.put("body", body);
        r.put("attributes", attributes);
        r.put("messageAttributes", Map.of());
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", queueArn);
        r.put("awsRegion", Emulator.template().region());
        return r;
    }

    private static List<Moto.SentEmail> emailsTo(String contactId) {
        return Moto.emails().stream().filter(e -> e.to().contains(contactId + "@example.com")).toList();
    }

    private static List<Moto.SentSms> smsTo(String phone) {
        return Moto.sms().stream().filter(s -> s.phoneNumber().equals(phone)).toList();
    }

    /** SenderHandler from the shrunk jar in a fresh JVM on an SQS event of these records. */
    private ShrunkJar.Child runSender(LocalFunctions functions, List<Map<String, Object>> records) throws Exception {
        return ShrunkJar.run(JAR, "SenderFunction", functions, Map.of("Records", records), dir);
    }
}
