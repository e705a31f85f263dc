package dev.tandem.local.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tandem.email.EmailEventsHandler;
import dev.tandem.ingest.Engagement;
import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.Unmatched;
import dev.tandem.port.ContactStore;
import dev.tandem.port.EngagementStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ingestion parsing and mapping alone: SQS batches of ten SES notifications (SNS envelope, SES JSON, the
 * mapping to timeline events) through the real EmailEventsHandler with the store faked. Each operation is
 * one notification.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestBenchmark {
    @Param("..")
    public String root;

    private EmailEventsHandler handler;
    private SQSEvent batch;

    /** A store that answers as a real one would for tagged events, and keeps nothing. */
    static final class NoStore implements EngagementStore {
        @Override
        public Optional<String> contactByEmail(String email) {
            return Optional.of("c1");
        }

        @Override
        public Optional<String> contactByPhone(String phone) {
            return Optional.of("c1");
        }

        @Override
        public Optional<SentMessage> sentMessage(String messageId) {
            return Optional.empty();
        }

        @Override
        public Optional<ContactStore.ContactView> view(String contactId, Instant since, int newest) {
            return Optional.empty();
        }

        @Override
        public Recorded record(Engagement engagement) {
            return Recorded.ADDED;
        }

        @Override
        public void keepUnmatched(Unmatched unmatched) {
        }
    }

    @Setup
    public void setUp() throws Exception {
        handler = new EmailEventsHandler(new NoStore(), Clock.systemUTC());
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        String[] samples = {"ses-delivery", "ses-open-human", "ses-open-machine", "ses-click", "ses-bounce-permanent",
                "ses-complaint", "ses-delivery-delay", "ses-notification-bounce", "ses-notification-delivery", "ses-reject"};
        for (String s : samples) {
            String json = Files.readString(Path.of(root, "events", s + ".json"));
            SQSEvent e = LambdaEventSerializers.serializerFor(SQSEvent.class, getClass().getClassLoader()).fromJson(json);
            records.addAll(e.getRecords());
        }
        batch = new SQSEvent();
        batch.setRecords(records);
        System.setProperty("tandem.quiet", "true");
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public SQSBatchResponse notifications() {
        return handler.handleRequest(batch, null);
    }
}
