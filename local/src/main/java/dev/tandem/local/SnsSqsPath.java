package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Sdk;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The notification path as AWS wires it, on the emulator: publish to a topic of template.yaml, let SNS
 * deliver to the subscribed queue, and poll that queue the way Lambda's event source mapping does,
 * deleting what the function took and leaving its {@code batchItemFailures} for redelivery.
 */
public final class SnsSqsPath implements AutoCloseable {
    private final Template template;
    private final SnsClient sns = SnsClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).build();
    private final SqsClient sqs = SqsClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).build();

    public SnsSqsPath(Template template) {
        this.template = template;
    }

    /** Publishes a message to a topic, by its logical id; returns the SNS message id. */
    public String publish(String topicLogicalId, String message) {
        return sns.publish(r -> r.topicArn(template.arn(topicLogicalId)).message(message)).messageId();
    }

    /** Receives up to ten records from a queue, by its logical id, as the SQS event Lambda would get. */
    public SQSEvent poll(String queueLogicalId) {
        String url = template.queueUrl(queueLogicalId);
        ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL));
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : r.messages()) {
            SQSEvent.SQSMessage rec = new SQSEvent.SQSMessage();
            rec.setMessageId(m.messageId());
            rec.setReceiptHandle(m.receiptHandle());
            rec.setBody(m.body());
            rec.setMd5OfBody(m.md5OfBody());
            Map<String, String> attrs = new HashMap<>();
            m.attributes().forEach((k, v) -> attrs.put(k.toString(), v));
            rec.setAttributes(attrs);
            rec.setEventSource("aws:sqs");
            rec.setEventSourceArn(template.arn(queueLogicalId));
            rec.setAwsRegion(template.region());
            records.add(rec);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    /** Deletes the records a function took: all of the batch but its reported failures. */
    public void acknowledge(String queueLogicalId, SQSEvent batch, SQSBatchResponse response) {
        Set<String> failed = new HashSet<>();
        if (response != null && response.getBatchItemFailures() != null) {
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        }
        String url = template.queueUrl(queueLogicalId);
        for (SQSEvent.SQSMessage m : batch.getRecords()) {
            if (!failed.contains(m.getMessageId())) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.getReceiptHandle()));
            }
        }
    }

    /** Makes failed records visible again at once, instead of after the visibility timeout. */
    public void makeVisible(String queueLogicalId, SQSEvent batch) {
        String url = template.queueUrl(queueLogicalId);
        for (SQSEvent.SQSMessage m : batch.getRecords()) {
            try {
                sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.getReceiptHandle()).visibilityTimeout(0));
            } catch (software.amazon.awssdk.services.sqs.model.SqsException e) {
                // deleted already: nothing to make visible
            }
        }
    }

    /**
     * Empties a queue: for tests that start from nothing. SQS takes one PurgeQueue a minute per queue; within the
     * minute the messages are received and deleted instead.
     */
    public void purge(String queueLogicalId) {
        String url = template.queueUrl(queueLogicalId);
        try {
            sqs.purgeQueue(r -> r.queueUrl(url));
        } catch (software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException e) {
            List<Message> got;
            do {
                got = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
                for (Message m : got) {
                    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
            } while (!got.isEmpty());
        }
    }

    public int visible(String queueLogicalId) {
        String url = template.queueUrl(queueLogicalId);
        return Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .getOrDefault("ApproximateNumberOfMessages", "0"));
    }

    @Override
    public void close() {
        sns.close();
        sqs.close();
    }
}
