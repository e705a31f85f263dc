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
    final List<software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest> deletes = new ArrayList<>();
    boolean failing;
    /** Whether the contact's profile exists when the function looks. */
    boolean profile = true;

    final DynamoDbClient db = new DynamoDbClient() {
        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest r) {
            if (failing) {
                throw DynamoDbException.builder().message("throttled").statusCode(400).build();
            }
            updates.add(r);
            // As DynamoDB answers ALL_NEW for an item this update made: born is this update's own token.
            return UpdateItemResponse.builder().attributes(Map.of("born", r.expressionAttributeValues().get(":born"))).build();
        }

        @Override
        public software.amazon.awssdk.services.dynamodb.model.GetItemResponse getItem(
                software.amazon.awssdk.services.dynamodb.model.GetItemRequest r) {
            return software.amazon.awssdk.services.dynamodb.model.GetItemResponse.builder()
                    .item(profile ? Map.of("PK", r.key().get("PK")) : Map.of()).build();
        }

        @Override
        public software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse deleteItem(
                software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest r) {
            deletes.add(r);
            return software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse.builder().build();
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
    void aSummaryMadeForAContactErasedMeanwhileIsDeletedAtOnce() throws IOException {
        profile = false;

        StreamsEventResponse r = handler.handleRequest(event(sample()), null);

        assertTrue(r.getBatchItemFailures().isEmpty());
        assertEquals(1, deletes.size());
        assertEquals("SUMMARY", deletes.get(0).key().get("SK").s());
        assertEquals("#born = :born", deletes.get(0).conditionExpression(), "only the summary this update made");
    }

    @Test
    void aSummaryOfAContactThatExistsIsKept() throws IOException {
        handler.handleRequest(event(sample()), null);

        assertTrue(deletes.isEmpty());
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
