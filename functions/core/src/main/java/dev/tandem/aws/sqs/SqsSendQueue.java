package dev.tandem.aws.sqs;

import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import dev.tandem.port.SendQueue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code SendQueue} on SQS: jobs go ten to a {@code SendMessageBatch} (the most SQS takes in one request), and the
 * entries SQS did not take are sent again, a few times, before the batch fails. A job that never makes it is not
 * lost: its claim comes back to a sweep when its lease ends.
 */
public final class SqsSendQueue implements SendQueue {
    static final int BATCH = 10;
    static final int ATTEMPTS = 3;
    private static volatile SqsClient shared;

    private final SqsClient sqs;
    private final String url;

    public SqsSendQueue(SqsClient sqs, String url) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.url = Objects.requireNonNull(url, "url");
    }

    public static synchronized SqsClient client() {
        if (shared == null) {
            shared = SqsClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).build();
        }
        return shared;
    }

    @Override
    public void put(List<Job> jobs) {
        for (int from = 0; from < jobs.size(); from += BATCH) {
            Map<String, String> todo = new HashMap<>();
            List<Job> chunk = jobs.subList(from, Math.min(jobs.size(), from + BATCH));
            for (int i = 0; i < chunk.size(); i++) {
                todo.put(String.valueOf(i), Json.write(chunk.get(i).toMap()));
            }
            for (int attempt = 1; !todo.isEmpty(); attempt++) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                todo.forEach((id, body) -> entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build()));
                SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                Map<String, String> failed = new HashMap<>();
                for (BatchResultErrorEntry e : r.failed()) {
                    if (attempt >= ATTEMPTS || Boolean.TRUE.equals(e.senderFault())) {
                        throw new IllegalStateException("SQS refused send job " + e.id() + ": " + e.code() + " " + e.message());
                    }
                    failed.put(e.id(), todo.get(e.id()));
                }
                todo = failed;
            }
        }
    }

    /** A job from an SQS record's body; malformed bodies are named. */
    public static Job job(String body) {
        return Job.fromMap(Json.object(Json.read(body, "body"), "body"));
    }
}
