package dev.tandem.sms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.IngestService;
import dev.tandem.aws.Env;
import dev.tandem.aws.Priming;
import dev.tandem.aws.sns.SnsSmsSender;
import dev.tandem.aws.sqs.SqsBatch;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoEngagementStore;
import dev.tandem.aws.store.DynamoTestSendLog;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.port.TestSendLog;
import dev.tandem.ingest.SmsInbound;
import dev.tandem.ingest.SmsStatus;
import dev.tandem.port.EngagementStore;
import dev.tandem.port.SmsSender;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code SmsEventsFunction}: inbound two-way SMS and SMS delivery statuses, published to the SMS topic and
 * delivered through SQS in batches. STOP opts out at once with one confirmation; START opts back in; HELP
 * gets the help text; any other text is an {@code sms.reply}. Statuses map to delivered or failed; the status of a
 * test send ({@code POST /templates/{id}/test}) is acknowledged and set aside.
 */
public final class SmsEventsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final IngestService ingest;
    private final EngagementStore store;
    private final TestSendLog tests;
    private final Clock clock;

    public SmsEventsHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("SmsEventsFunction", this::prime);
    }

    /**
     * SnapStart priming: a batch holding an in-flight delivery status (parsed, and left alone by design), a
     * lookup of a number no contact has, and a read of the account's SMS settings. Nothing is written or sent.
     */
    public void prime() {
        handleRequest(Priming.sqs(Priming.SMS_PENDING), null);
        store.contactByPhone("+10000000000");
        Priming.quietly(() -> SnsSmsSender.client().getSMSAttributes(r -> r.attributes("DefaultSMSType")));
    }

    public SmsEventsHandler(Env env, Clock clock) {
        this(new DynamoEngagementStore(Clients.dynamo(), StoreConfig.from(env)),
                new SnsSmsSender(SnsSmsSender.client(), env.optional("SMS_ORIGINATION_NUMBER"), env.optional("SMS_SENDER_ID")),
                new IngestService.SmsTexts(env.require("SMS_STOP_TEXT"), env.require("SMS_HELP_TEXT"), env.optional("SMS_START_TEXT")),
                new DynamoTestSendLog(Clients.dynamo(), StoreConfig.from(env)), clock);
    }

    public SmsEventsHandler(EngagementStore store, SmsSender sms, IngestService.SmsTexts texts, TestSendLog tests, Clock clock) {
        this.ingest = new IngestService(store, sms, texts);
        this.store = Objects.requireNonNull(store, "store");
        this.tests = Objects.requireNonNull(tests, "tests");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, context, "SmsEventsFunction", clock.instant(), m -> {
            Object parsed = SmsNotifications.parse(m.json(), m.at());
            if (parsed == null) {
                return List.of("ignored");
            }
            if (parsed instanceof SmsStatus s && s.outcome() != SmsStatus.Outcome.IN_FLIGHT && tests.isTest(s.messageId())) {
                // A test send is nobody's engagement: no timeline, no count, nothing kept as unmatched.
                return List.of("ignored");
            }
            IngestService.Outcome outcome = parsed instanceof SmsInbound in
                    ? ingest.smsInbound(in)
                    : ingest.smsStatus((SmsStatus) parsed);
            return List.of(outcome.name().toLowerCase(Locale.ROOT));
        });
    }
}
