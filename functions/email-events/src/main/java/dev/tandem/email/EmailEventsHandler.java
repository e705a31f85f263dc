package dev.tandem.email;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.IngestService;
import dev.tandem.aws.Env;
import dev.tandem.aws.Priming;
import dev.tandem.aws.sqs.SqsBatch;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoEngagementStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.ingest.EmailNotification;
import dev.tandem.port.EngagementStore;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code EmailEventsFunction}: SES engagement published to the SES-events topic, delivered through SQS in
 * batches. Each record lands on a contact's timeline, is a duplicate that adds nothing, is kept as
 * unmatched, or fails alone (reported in {@code batchItemFailures}).
 */
public final class EmailEventsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final IngestService ingest;
    private final EngagementStore store;
    private final Clock clock;

    public EmailEventsHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("EmailEventsFunction", this::prime);
    }

    public EmailEventsHandler(Env env, Clock clock) {
        this(new DynamoEngagementStore(Clients.dynamo(), StoreConfig.from(env)), clock);
    }

    public EmailEventsHandler(EngagementStore store, Clock clock) {
        this.ingest = new IngestService(store, null, null);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * SnapStart priming: a batch holding Tandem's own Send event (parsed, mapped, and recorded by nobody) and a
     * lookup of an address no contact has. Nothing is written.
     */
    public void prime() {
        handleRequest(Priming.sqs(Priming.SES_SEND), null);
        store.contactByEmail("prime@tandem.invalid");
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, context, "EmailEventsFunction", clock.instant(), m -> {
            if (m.message() == null && SesNotifications.isSetupNotice(m.text())) {
                return List.of("ignored");
            }
            EmailNotification n = SesNotifications.parse(m.json(), m.id());
            if (n == null || dev.tandem.app.TestSends.isTest(n)) {
                // A test send's events (its tandem-test tag) are nobody's engagement: no timeline, no count, nothing kept;
                // its bounces, complaints and unsubscribes go on, as they close the address.
                return List.of("ignored");
            }
            return ingest.email(n).stream().map(o -> o.name().toLowerCase(Locale.ROOT)).toList();
        });
    }

}
