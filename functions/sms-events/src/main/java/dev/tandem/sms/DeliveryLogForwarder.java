package dev.tandem.sms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import dev.tandem.aws.sns.SnsSmsSender;
import dev.tandem.validation.InvalidInputException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * {@code SmsDeliveryLogForwarderFunction}: SNS reports the delivery of an SMS sent with {@code Publish} only to
 * CloudWatch Logs ({@code sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]}). A subscription filter on
 * those log groups invokes this function with the log lines (base64, gzipped, as CloudWatch Logs sends them); it
 * publishes each line, unchanged, to SmsTopic, where {@code SmsEventsFunction} reads it beside End User
 * Messaging's own events. A failed publish fails the invocation, which Lambda retries; a line published twice
 * adds nothing downstream (the status is idempotent on message id, status and time).
 */
public final class DeliveryLogForwarder implements RequestStreamHandler {
    private static final int SNS_BATCH = 10;

    private final SnsClient sns;
    private final String topicArn;

    public DeliveryLogForwarder() {
        this(Env.system(), java.time.Clock.systemUTC());
    }

    /** For the local stack: the same wiring, from a given environment (the clock is not needed here). */
    public DeliveryLogForwarder(Env env, java.time.Clock clock) {
        this(SnsSmsSender.client(), env.require("SMS_TOPIC_ARN"));
    }

    public DeliveryLogForwarder(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        this.topicArn = Objects.requireNonNull(topicArn, "topicArn");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        List<String> lines = lines(input);
        int published = 0;
        for (int from = 0; from < lines.size(); from += SNS_BATCH) {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(lines.size(), from + SNS_BATCH); i++) {
                entries.add(PublishBatchRequestEntry.builder().id(Integer.toString(i)).message(lines.get(i)).build());
            }
            PublishBatchResponse r = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries));
            if (r.hasFailed() && !r.failed().isEmpty()) {
                // The whole invocation is retried; the lines already published are duplicates downstream, which add nothing.
                throw new IllegalStateException("SNS refused " + r.failed().size() + " of " + entries.size()
                        + " delivery-log lines: " + r.failed().get(0).code());
            }
            published += entries.size();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("lines", lines.size());
        summary.put("published", published);
        Log.info(context, "sms delivery logs forwarded", summary);
        Json.write(output, summary);
    }

    /** The log lines of a CloudWatch Logs subscription event; a control message (the filter's own check) has none. */
    static List<String> lines(InputStream input) {
        Map<String, Object> event = Json.object(Json.read(input), "");
        Map<String, Object> awslogs = Json.object(event.get("awslogs"), "awslogs");
        if (!(awslogs.get("data") instanceof String data)) {
            throw new InvalidInputException("awslogs.data", "awslogs.data is required");
        }
        Map<String, Object> batch;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(data)))) {
            batch = Json.object(Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "awslogs.data"), "awslogs.data");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("awslogs.data", "awslogs.data is not base64");
        } catch (IOException e) {
            throw new UncheckedIOException("awslogs.data is not gzip", e);
        }
        if (!"DATA_MESSAGE".equals(batch.get("messageType"))) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (batch.get("logEvents") instanceof List<?> events) {
            for (Object e : events) {
                if (e instanceof Map<?, ?> m && m.get("message") instanceof String message && !message.isBlank()) {
                    out.add(message);
                }
            }
        }
        return out;
    }
}
