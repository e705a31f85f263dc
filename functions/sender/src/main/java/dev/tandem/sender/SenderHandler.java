package dev.tandem.sender;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.Dispatch;
import dev.tandem.app.SharedPace;
import dev.tandem.aws.Env;
import dev.tandem.aws.Log;
import dev.tandem.aws.Metrics;
import dev.tandem.aws.Priming;
import dev.tandem.aws.ses.SesEmailSender;
import dev.tandem.aws.Sdk;
import dev.tandem.aws.sns.SnsSmsSender;
import dev.tandem.aws.sqs.SqsSendQueue;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.DynamoRateTokens;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.contact.Channel;
import dev.tandem.port.SendQueue;
import dev.tandem.validation.InvalidInputException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code SenderFunction}: takes batches of send jobs from {@code SendQueue} (the SQS event source, at most
 * {@code SENDER_CONCURRENCY} at once), sends each through SES v2 or SNS and records it ({@link Dispatch}).
 *
 * <p>The account's rate holds however many senders run: every second of each channel has {@code SES_RATE_PER_SECOND}
 * (or {@code SMS_RATE_PER_SECOND}) numbered tokens on the table, a sender takes a few at a time and sends each at its
 * token's moment of the second ({@link SharedPace}). The event source's maximum concurrency bounds how many senders
 * run (cost and Lambda concurrency), not the rate.
 *
 * <p>A record whose body is not a job, or whose store did not answer, is reported in {@code batchItemFailures}: SQS
 * delivers it again and, after {@code maxReceiveCount}, keeps it in the dead-letter queue. A job whose send began in
 * another sender and is still within its lease is reported the same way, to be looked at again after the visibility
 * timeout.
 */
public final class SenderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Dispatch dispatch;
    private final Clock clock;
    private final Metrics metrics;

    public SenderHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("SenderFunction", this::prime);
    }

    public SenderHandler(Env env, Clock clock) {
        this(dispatch(env), clock, new Metrics(env.optional("STACK_NAME")));
    }

    public SenderHandler(Dispatch dispatch, Clock clock, Metrics metrics) {
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    static Dispatch dispatch(Env env) {
        return new Dispatch(
                DynamoDecisionStore.on(Clients.dynamo(), StoreConfig.from(env)),
                new SesEmailSender(SesEmailSender.client(), env.require("SENDER_EMAIL"), env.optional("CONFIGURATION_SET")),
                new SnsSmsSender(SnsSmsSender.client(), env.optional("SMS_ORIGINATION_NUMBER"), env.optional("SMS_SENDER_ID")),
                new SharedPace(new DynamoRateTokens(Clients.dynamo(), StoreConfig.from(env)), env.requireDouble("SES_RATE_PER_SECOND"),
                        env.requireDouble("SMS_RATE_PER_SECOND"), System::currentTimeMillis, SharedPace::sleep),
                new Dispatch.Settings(env.require("PUBLIC_BASE_URL"), Duration.parse(env.require("CLAIM_LEASE")),
                        Duration.parse(env.require("SEND_LEASE")), 200, Duration.ofMinutes(1), parallel(env), 100));
    }

    /**
     * Jobs of one batch sent at once. A sender waits mostly on the network (SES or SNS about 60-80 ms, DynamoDB a few
     * milliseconds a call), so 25 at once make about 200 messages a second per sender.
     */
    static final int PARALLEL = 25;

    /** {@code SENDER_PARALLEL} sets another number (the local stack's emulator answers one request at a time). */
    static int parallel(Env env) {
        String set = env.optional("SENDER_PARALLEL");
        return set == null ? PARALLEL : Integer.parseInt(set);
    }

    /**
     * The longest one job can take once begun: the provider call with the SDK's retries of throttling, then its record.
     * The send lease (template.yaml's SendLease) must be longer, and the function's timeout too.
     */
    public static Duration worstSend() {
        // The begin on the guard and the claim read again after it, the provider call, then the record.
        return Sdk.DYNAMO_CALL_TIMEOUT.multipliedBy(2).plus(Sdk.PROVIDER_CALL_TIMEOUT).plus(DynamoDecisionStore.worstRecord());
    }

    /**
     * SnapStart priming: a batch of one job whose run does not exist (one read, nothing written or sent), and reads
     * of the SES account and the SMS settings.
     */
    public void prime() {
        dispatch.send(List.of(new SendQueue.Job(Priming.ID, "prime", "prime", "prime")), Instant.EPOCH);
        Priming.quietly(() -> SesEmailSender.client().getAccount(r -> { }));
        Priming.quietly(() -> SnsSmsSender.client().getSMSAttributes(r -> r.attributes("DefaultSMSType")));
    }

    /** What one batch did: the response for the event source, and the sends' result (the simulator reads its lines). */
    public record Outcome(SQSBatchResponse response, Dispatch.Result result) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return process(event, context).response();
    }

    public Outcome process(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<SendQueue.Job, String> records = new LinkedHashMap<>();
        List<SQSEvent.SQSMessage> in = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage r : in) {
            try {
                records.put(SqsSendQueue.job(r.getBody()), r.getMessageId());
            } catch (InvalidInputException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(r.getMessageId()));
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("messageId", r.getMessageId());
                f.put("field", e.field());
                f.put("error", e.getMessage());
                Log.info(context, "malformed send job: it will be retried, then dead-lettered", f);
            }
        }
        Instant now = clock.instant();
        // A job started before the margin has time for its provider call and its record (worstSend).
        java.util.function.BooleanSupplier timeLeft = context == null ? () -> true
                : () -> context.getRemainingTimeInMillis() > worstSend().toMillis();
        Dispatch.Result result = dispatch.send(new ArrayList<>(records.keySet()), now, timeLeft);
        for (SendQueue.Job again : result.again()) {
            String id = records.get(again);
            if (id != null) {
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("at", now.toString());
        summary.put("jobs", in.size());
        summary.put("counts", result.counts());
        if (!result.paused().isEmpty()) {
            summary.put("paused", result.paused().stream().map(Channel::wire).sorted().toList());
        }
        Log.info(context, "send batch", summary);
        Map<String, Integer> watched = new LinkedHashMap<>();
        watched.put("RunsFailed", result.runsFailed());
        watched.put("ChannelPaused", result.paused().size());
        watched.put("MessagesSent", result.counts().getOrDefault("sent", 0));
        watched.put("MessagesUnknown", result.counts().getOrDefault("unknown", 0));
        metrics.emit(context, now.toEpochMilli(), watched);
        for (Channel ch : Channel.values()) {
            dev.tandem.aws.Funnel.throttled(ch.wire(), result.counts().getOrDefault("throttled-" + ch.wire(), 0));
        }
        dev.tandem.aws.Funnel.flush(context, now);
        return new Outcome(new SQSBatchResponse(failures), result);
    }
}
