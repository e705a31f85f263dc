package dev.tandem.aws.testing;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tandem.aws.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Event fixtures, read as the Lambda Java runtime reads them. */
public final class LambdaEvents {
    private LambdaEvents() {
    }

    /** A sample of the top-level {@code events/} folder, by name. */
    public static String sample(String name) {
        Path p = Path.of("..", "..", "events", name + ".json");
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("no sample " + p.toAbsolutePath(), e);
        }
    }

    public static SQSEvent sqs(String json) {
        return LambdaEventSerializers.serializerFor(SQSEvent.class, LambdaEvents.class.getClassLoader()).fromJson(json);
    }

    /** One SQS batch holding the records of several samples, in order. */
    public static SQSEvent batch(String... samples) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String s : samples) {
            records.addAll(sqs(sample(s)).getRecords());
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    /** An SQS record whose body is given as is: a poison record when the body is not what the function reads. */
    public static SQSEvent.SQSMessage record(String messageId, String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(messageId);
        m.setBody(body);
        m.setAttributes(Map.of("SentTimestamp", "1796144400000"));
        return m;
    }

    /** An SNS envelope around a message, as SNS delivers to SQS. */
    public static String envelope(String snsMessageId, Object message, String timestamp) {
        return Json.write(Map.of("Type", "Notification", "MessageId", snsMessageId,
                "TopicArn", "arn:aws:sns:us-east-1:123456789012:topic", "Message", Json.write(message), "Timestamp", timestamp));
    }
}
