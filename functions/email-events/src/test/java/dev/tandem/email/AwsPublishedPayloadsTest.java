package dev.tandem.email;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Json;
import dev.tandem.aws.testing.LambdaEvents;
import dev.tandem.contact.Channel;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.contact.Reachability;
import dev.tandem.testing.InMemoryEngagementStore;
import dev.tandem.timeline.TimelineEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AWS's own published SES payloads (src/test/resources/aws, sources in its SOURCES.md), as SNS delivers them to SQS,
 * through the handler: every kind lands as its timeline event, and what is not engagement is acknowledged and ignored.
 */
class AwsPublishedPayloadsTest {
    private static final Instant T = Instant.parse("2026-12-01T16:00:00Z");
    private final InMemoryEngagementStore store = new InMemoryEngagementStore();
    private final EmailEventsHandler handler = new EmailEventsHandler(store, Clock.fixed(T, ZoneOffset.UTC));

    @BeforeEach
    void contacts() {
        contact("recipient", "recipient@example.com", Instant.parse("2016-01-01T00:00:00Z"));
        contact("jane", "jane@example.com", Instant.parse("2016-01-01T00:00:00Z"));
        contact("richard", "richard@example.com", Instant.parse("2016-01-01T00:00:00Z"));
        contact("mary", "mary@example.com", Instant.parse("2016-01-01T00:00:00Z"));
    }

    private void contact(String id, String email, Instant at) {
        Contact before = store.find(id).orElse(null);
        store.save(ContactDraft.from(id, Map.of("email", email, "consent", Map.of("email", "subscribed")), "test", at)
                .applyTo(before, at), before);
    }

    static String resource(String name) {
        try (InputStream in = AwsPublishedPayloadsTest.class.getResourceAsStream("/aws/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource aws/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payload(String name) {
        return (Map<String, Object>) Json.read(resource(name), name);
    }

    /** An SQS batch of SNS envelopes around messages given as published (a JSON document or plain text). */
    static SQSEvent batch(String... messages) {
        SQSEvent e = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new java.util.ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("Type", "Notification");
            envelope.put("MessageId", "sns-" + i + "-" + messages[i].hashCode());
            envelope.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:SesEventsTopic");
            envelope.put("Message", messages[i]);
            envelope.put("Timestamp", "2026-12-01T16:00:00.000Z");
            records.add(LambdaEvents.record("r" + i, Json.write(envelope)));
        }
        e.setRecords(records);
        return e;
    }

    private List<String> types(String contact) {
        return store.events(contact).stream().map(TimelineEvent::type).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "event-bounce.json, recipient, email.bounce",
            "event-click.json, recipient, email.click",
            "event-complaint.json, recipient, email.complaint",
            "event-delivery-delay.json, recipient, email.delivery_delay",
            "event-delivery.json, recipient, email.delivered",
            "event-open.json, recipient, email.open",
            "event-rendering-failure.json, recipient, email.reject",
            "event-send.json, recipient, email.sent",
            "event-subscription.json, recipient, email.unsubscribe",
            "notification-bounce-with-dsn.json, jane, email.bounce",
            "notification-complaint-with-feedback.json, richard, email.complaint",
            "notification-complaint-without-feedback.json, richard, email.complaint",
            "notification-delivery.json, jane, email.delivered",
    })
    void everyPublishedKindLandsOnItsRecipientsTimeline(String file, String contact, String type) {
        SQSBatchResponse r = handler.handleRequest(batch(resource(file)), null);

        assertEquals(List.of(), r.getBatchItemFailures(), file);
        assertEquals(List.of(type), types(contact), file);
    }

    @Test
    void aBounceNamingTwoRecipientsBouncesBoth() {
        handler.handleRequest(batch(resource("notification-bounce-without-dsn.json")), null);

        assertEquals(List.of("email.bounce"), types("jane"));
        assertEquals(List.of("email.bounce"), types("richard"));
        assertEquals(List.of(), types("mary"), "mary was a destination, not a bounced recipient");
    }

    @Test
    void anOpenOfAnEmailToTwoRecipientsCountsForNeither() {
        Map<String, Object> open = payload("event-open.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> mail = (Map<String, Object>) open.get("mail");
        mail.put("destination", List.of("jane@example.com", "mary@example.com"));

        SQSBatchResponse r = handler.handleRequest(batch(Json.write(open)), null);

        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(List.of(), types("jane"), "an open does not say which recipient opened");
        assertEquals(List.of(), types("mary"));
        assertEquals(java.util.Set.of("jane@example.com", "mary@example.com"),
                store.unmatched.values().stream().map(dev.tandem.ingest.Unmatched::email).collect(java.util.stream.Collectors.toSet()),
                "kept, naming each address");
    }

    @Test
    void sesSetupNoticesAreAcknowledgedAndIgnored() {
        SQSBatchResponse r = handler.handleRequest(batch(resource("setup-subscription-succeeded.json"), resource("setup-validated.txt")), null);

        assertEquals(List.of(), r.getBatchItemFailures(), "never failed, never dead-lettered");
        assertTrue(store.unmatched.isEmpty());
        assertEquals(0, store.writes);
    }

    @Test
    void aNotSpamComplaintIsRecordedAndNeitherSuppressesNorUnsubscribes() {
        Map<String, Object> complaint = payload("event-complaint.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) complaint.get("complaint");
        detail.put("complaintFeedbackType", "not-spam");

        handler.handleRequest(batch(Json.write(complaint)), null);

        Contact c = store.find("recipient").orElseThrow();
        assertEquals(List.of("email.complaint"), types("recipient"));
        assertEquals(ConsentStatus.SUBSCRIBED, c.consent().get(Channel.EMAIL).status());
        assertEquals(Reachability.REACHABLE, c.stateOf(Channel.EMAIL).status());
    }

    @Test
    void anOldComplaintProcessedLateLeavesANewerConsentAndTheUpdateTimeAlone() {
        Instant resubscribed = Instant.parse("2018-03-01T00:00:00Z");
        Contact before = store.find("recipient").orElseThrow();
        Contact out = ContactDraft.from("recipient", Map.of("email", "recipient@example.com", "consent", Map.of("email", "unsubscribed")), "test",
                Instant.parse("2016-06-01T00:00:00Z")).applyTo(before, Instant.parse("2016-06-01T00:00:00Z"));
        store.save(out, before);
        Contact in = ContactDraft.from("recipient", Map.of("email", "recipient@example.com", "consent", Map.of("email", "subscribed")), "test", resubscribed)
                .applyTo(out, resubscribed);
        store.save(in, out);

        handler.handleRequest(batch(resource("event-complaint.json")), null); // a complaint of 2017-08-05

        Contact c = store.find("recipient").orElseThrow();
        assertEquals(List.of("email.complaint"), types("recipient"), "the complaint is on the timeline");
        assertEquals(ConsentStatus.SUBSCRIBED, c.consent().get(Channel.EMAIL).status(), "the newer consent stands");
        assertEquals(resubscribed, c.updatedAt(), "updatedAt never moves backwards");
    }
}
