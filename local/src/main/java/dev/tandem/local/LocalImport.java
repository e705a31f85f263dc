package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.ImportRun;
import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code ./tandem import FILE} on the emulator, which runs no event sources: the file is put in {@code ImportBucket}
 * under {@code imports/}, S3's notification of it (the shape S3 puts on a queue) goes on {@code ImportQueue}, and
 * {@code ImportQueue}'s event source is run here: ImportFunction's real handler takes each message, continuations
 * included, until the queue is empty. Then the summary and the errors are read back from the bucket.
 */
public final class LocalImport implements AutoCloseable {
    static final String BUCKET = "ImportBucket";
    static final String QUEUE = "ImportQueue";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final LocalFunctions functions;
    private final SnsSqsPath path;
    private final S3Client s3 = S3Client.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).forcePathStyle(true).build();
    private final SqsClient sqs = SqsClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).build();

    public LocalImport(LocalFunctions functions) {
        this.functions = functions;
        this.path = new SnsSqsPath(functions.template());
    }

    /** What an import came to: its summary, its error lines, and the invocations it took. */
    public record Report(Map<String, Object> summary, List<String> errors, int invocations) {
    }

    public String bucket() {
        return functions.template().physicalName(BUCKET);
    }

    /** Uploads a file under {@code key} and delivers S3's notification of it to ImportQueue; answers the notification. */
    public String upload(Path file, String key) {
        String etag = s3.putObject(r -> r.bucket(bucket()).key(key), RequestBody.fromFile(file)).eTag().replace("\"", "");
        String event = Json.write(notification(bucket(), key, file.toFile().length(), etag));
        sqs.sendMessage(r -> r.queueUrl(functions.template().queueUrl(QUEUE)).messageBody(event));
        return event;
    }

    /** S3's event notification of one upload, as AWS documents it (event version 2.1). */
    static Map<String, Object> notification(String bucket, String key, long size, String etag) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
        object.put("size", size);
        object.put("eTag", etag);
        // Unique and growing for each upload of a key, as S3's sequencer is.
        object.put("sequencer", String.format("%016X%04X", System.currentTimeMillis(), SEQUENCE.incrementAndGet() & 0xffff));
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "ImportBucketNotification");
        s3.put("bucket", Map.of("name", bucket, "ownerIdentity", Map.of("principalId", "A3NL1KOZZKExample"), "arn", "arn:aws:s3:::" + bucket));
        s3.put("object", object);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", "us-east-1");
        record.put("eventTime", java.time.Instant.now().toString());
        record.put("eventName", "ObjectCreated:Put");
        record.put("userIdentity", Map.of("principalId", "AWS:AIDAEXAMPLE"));
        record.put("requestParameters", Map.of("sourceIPAddress", "127.0.0.1"));
        record.put("responseElements", Map.of("x-amz-request-id", "LOCAL", "x-amz-id-2", "LOCAL"));
        record.put("s3", s3);
        return Map.of("Records", List.of(record));
    }

    /** Puts a message on ImportQueue as it is: a notification delivered again, a continuation. */
    public void deliver(String body) {
        sqs.sendMessage(r -> r.queueUrl(functions.template().queueUrl(QUEUE)).messageBody(body));
    }

    /** ImportQueue's event source: one message an invocation, each with a fresh context, until nothing is visible. */
    public int drain(Supplier<Context> contexts) {
        int invocations = 0;
        for (int empty = 0; empty < 2; ) {
            SQSEvent batch = path.poll(QUEUE);
            if (batch.getRecords().isEmpty()) {
                empty++;
                continue;
            }
            empty = 0;
            for (SQSEvent.SQSMessage m : batch.getRecords()) {
                SQSEvent one = new SQSEvent();
                one.setRecords(List.of(m));
                Map<?, ?> response = (Map<?, ?>) Json.read(functions.invoke("ImportFunction", json(m), contexts.get()), "response");
                invocations++;
                SQSBatchResponse r = new SQSBatchResponse(new ArrayList<>());
                for (Object f : (List<?>) response.get("batchItemFailures")) {
                    r.getBatchItemFailures().add(new SQSBatchResponse.BatchItemFailure(String.valueOf(((Map<?, ?>) f).get("itemIdentifier"))));
                }
                path.acknowledge(QUEUE, one, r);
                if (!r.getBatchItemFailures().isEmpty()) {
                    throw new IllegalStateException("ImportFunction failed on a message; it waits on ImportQueue (the error is logged above)");
                }
            }
        }
        return invocations;
    }

    /** An SQS record as Lambda hands it to a function, in JSON. */
    private String json(SQSEvent.SQSMessage m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", m.getMessageId());
        r.put("receiptHandle", m.getReceiptHandle());
        r.put("body", m.getBody());
        r.put("attributes", m.getAttributes());
        r.put("messageAttributes", Map.of());
        r.put("md5OfBody", m.getMd5OfBody());
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", m.getEventSourceArn());
        r.put("awsRegion", m.getAwsRegion());
        return Json.write(Map.of("Records", List.of(r)));
    }

    /** The summary and the errors written beside {@code key}; a missing summary means the import has not ended. */
    @SuppressWarnings("unchecked")
    public Report report(String key, int invocations) {
        String base = ImportRun.base(key);
        Map<String, Object> summary;
        try {
            summary = (Map<String, Object>) Json.read(text(base + ImportRun.SUMMARY_SUFFIX), "summary");
        } catch (NoSuchKeyException e) {
            throw new IllegalStateException("the import of " + key + " has no summary: it did not end");
        }
        List<String> errors = text(base + ImportRun.ERRORS_SUFFIX).lines().filter(l -> !l.isBlank()).toList();
        return new Report(summary, errors, invocations);
    }

    public String text(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket()).key(key)).asString(StandardCharsets.UTF_8);
    }

    /** Uploads, imports through the queue, and reads the outcome back. */
    public Report run(Path file, String key, Supplier<Context> contexts) {
        upload(file, key);
        return report(key, drain(contexts));
    }

    @Override
    public void close() {
        path.close();
        s3.close();
        sqs.close();
    }
}
