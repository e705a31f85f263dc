package dev.tandem.audience.summary;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tandem.aws.store.DynamoSummaries;
import dev.tandem.aws.store.StoreConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryHandlerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);
    final List<UpdateItemRequest> updates = new ArrayList<>();
    boolean failing;

    final DynamoDbClient db = new DynamoDbClient() {
        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest r) {
            if (failing) {
                throw DynamoDbException.builder().message("throttled").statusCode(400).build();
            }
            updates.add(r);
            return UpdateItemResponse.builder().attributes(Map.of()).build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    };
    final SummaryHandler handler = new SummaryHandler(new DynamoSummaries(db, new StoreConfig("t", Duration.ofDays(400), 16)), CLOCK);

    static DynamodbEvent event(String json) {
        return LambdaEventSerializers.serializerFor(DynamodbEvent.class, SummaryHandlerTest.class.getClassLoader()).fromJson(json);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SummaryHandlerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String sample() throws IOException {
        return dev.tandem.aws.testing.LambdaEvents.sample("summary-stream");
    }

    @Test
    void aNewTimelineEventAddsItsTimeToTheTypeAndToTheTypeOfItsCampaign() throws IOException {
        StreamsEventResponse r = handler.handleRequest(event(sample()), null);

        assertTrue(r.getBatchItemFailures().isEmpty());
        assertEquals(1, updates.size());
        UpdateItemRequest u = updates.get(0);
        assertEquals("C#ana", u.key().get("PK").s());
        assertEquals("SUMMARY", u.key().get("SK").s());
        assertTrue(u.expressionAttributeNames().containsValue("E#email.open"));
        assertTrue(u.expressionAttributeNames().containsValue("E#email.open#winter"));
        assertTrue(u.updateExpression().contains("ADD"), "a set: the same event twice adds nothing");
    }

    @Test
    void awsPublishedStreamRecordsThatAreNotTimelineEventsArePassedOver() throws IOException {
        StreamsEventResponse r = handler.handleRequest(event(resource("/aws/dynamodb-stream-example.json")), null);

        assertTrue(r.getBatchItemFailures().isEmpty());
        assertTrue(updates.isEmpty());
    }

    @Test
    void aFailedUpdateReportsItsContactsFirstRecordSoTheStreamGivesTheBatchAgainFromThere() throws IOException {
        failing = true;

        StreamsEventResponse r = handler.handleRequest(event(sample()), null);

        assertEquals(1, r.getBatchItemFailures().size());
        assertEquals("4421584500000000017450439091", r.getBatchItemFailures().get(0).getItemIdentifier());
    }
}
