package dev.tandem.decider;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tandem.app.Sweep;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import dev.tandem.aws.Metrics;
import dev.tandem.aws.Sdk;
import dev.tandem.aws.Priming;
import dev.tandem.aws.sqs.SqsSendQueue;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.decide.DecisionLine;
import dev.tandem.validation.InvalidInputException;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * {@code DeciderFunction}: invoked by EventBridge Scheduler, every minute by the recurring schedule
 * ({@code {"source":"schedule"}}) and at a launch's time by its one-time schedule
 * ({@code {"launch":{"campaign":..., "launchId":...}}}). Sweeps what is due, claims each send and puts its job on
 * {@code SendQueue} for {@code SenderFunction}, and stops cleanly before its timeout. Answers with the counts and, up
 * to {@code DECISION_ECHO}, the decision lines.
 */
public final class DeciderHandler implements RequestStreamHandler {
    /**
     * Stop taking new runs this long before the Lambda timeout, leaving the rest to the next run: a run that starts
     * before then has time for its reads, its claim and its job's queueing, whatever the store's retries cost (see
     * {@link #worstDecision}).
     */
    public static final long MARGIN_MILLIS = 40_000;
    /** Runs decided at once: the work is waiting on DynamoDB, not computing. {@code SWEEP_THREADS} sets another number. */
    public static final int THREADS = 64;

    static int threads(Env env) {
        String set = env.optional("SWEEP_THREADS");
        return set == null ? THREADS : Integer.parseInt(set);
    }

    private final Sweep sweep;
    private final Clock clock;
    private final Metrics metrics;

    public DeciderHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("DeciderFunction", this::prime);
    }

    /**
     * SnapStart priming: a sweep as of 1970 (every shard read, nothing due then), the engine deciding and
     * rendering a made-up contact's email and SMS, and a read of the send queue's attributes. Nothing is written,
     * queued or sent.
     */
    public void prime() {
        sweep.run(Instant.EPOCH, () -> true);
        EnginePriming.run();
        Priming.quietly(() -> SqsSendQueue.client().getQueueAttributes(r -> r.queueUrl(Env.system().optional("SEND_QUEUE_URL"))
                .attributeNamesWithStrings("ApproximateNumberOfMessages")));
    }

    public DeciderHandler(Env env, Clock clock) {
        this(new Sweep(
                DynamoDecisionStore.on(Clients.dynamo(), StoreConfig.from(env)),
                new SqsSendQueue(SqsSendQueue.client(), env.require("SEND_QUEUE_URL")),
                () -> UUID.randomUUID().toString(),
                new Sweep.Settings(env.require("PUBLIC_BASE_URL"), Duration.parse(env.require("CLAIM_LEASE")),
                        Duration.parse(env.require("SEND_LEASE")), 200, 100, 500, threads(env), env.requireInt("DECISION_ECHO"))),
                clock, new Metrics(env.optional("STACK_NAME")));
    }

    public DeciderHandler(Sweep sweep, Clock clock, Metrics metrics) {
        this.sweep = Objects.requireNonNull(sweep, "sweep");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * The longest one run can take once started: its view, its link items and its claim, each a DynamoDB call with
     * the SDK's retries, and a batch of jobs put on the queue.
     */
    static Duration worstDecision() {
        return Sdk.DYNAMO_CALL_TIMEOUT.multipliedBy(3).plus(Sdk.QUEUE_CALL_TIMEOUT);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Map<String, Object> event;
        try {
            event = Json.object(Json.read(input), "");
        } catch (InvalidInputException e) {
            Json.write(output, Map.of("error", e.getMessage(), "field", e.field()));
            return;
        }
        Instant now = clock.instant();
        BooleanSupplier timeLeft = context == null ? () -> true
                : () -> context.getRemainingTimeInMillis() > MARGIN_MILLIS;
        Sweep.Result result;
        if (event.get("launch") instanceof Map<?, ?> launch
                && launch.get("campaign") instanceof String campaign && launch.get("launchId") instanceof String launchId) {
            result = sweep.launch(campaign, launchId, now, timeLeft);
        } else {
            result = sweep.run(now, timeLeft);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("at", now.toString());
        summary.put("finished", result.finished());
        summary.put("counts", result.counts());
        if (!result.paused().isEmpty()) {
            summary.put("paused", result.paused().stream().map(dev.tandem.contact.Channel::wire).sorted().toList());
        }
        Log.info(context, "sweep", summary);
        // What the template's alarms watch: runs that could not be carried out.
        Map<String, Integer> watched = new LinkedHashMap<>();
        watched.put("RunsFailed", result.failed());
        watched.put("SendsClaimed", result.counts().getOrDefault("claimed", 0));
        // A send the sweep found crashed past its leases is unknown too: the same alarm hears it.
        watched.put("MessagesUnknown", result.counts().getOrDefault("unknown", 0));
        metrics.emit(context, now.toEpochMilli(), watched);
        // Deferrals and skips by reason, per channel and campaign: what the sweep counted for the stats.
        dev.tandem.aws.Funnel.flush(context, now);
        List<Map<String, Object>> lines = result.lines().stream().map(DecisionLine::toMap).toList();
        Map<String, Object> response = new LinkedHashMap<>(summary);
        response.put("decisions", lines);
        Json.write(output, response);
    }
}
