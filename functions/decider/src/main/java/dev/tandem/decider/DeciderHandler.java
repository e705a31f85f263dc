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
import dev.tandem.aws.sns.SnsSmsSender;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.LinkMaker;
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
 * ({@code {"launch":{"campaign":..., "launchId":...}}}). Sweeps what is due and stops cleanly before its
 * timeout. Answers with the counts and, up to {@code DECISION_ECHO}, the decision lines.
 */
public final class DeciderHandler implements RequestStreamHandler {
    /**
     * Stop this long before the Lambda timeout, leaving the rest to the next run: a send that starts before then has
     * time for its provider call (with the sweep's throttle retries) and for the record of what went out, whatever
     * the store's retries cost (see {@link #worstSend}).
     */
    public static final long MARGIN_MILLIS = 75_000;
    static final int THROTTLE_RETRIES = 2;

    private final Sweep sweep;
    private final Clock clock;
    private final Metrics metrics;

    public DeciderHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("DeciderFunction", this::prime);
    }

    /**
     * SnapStart priming: a sweep as of 1970 (every shard read, nothing due then), the engine deciding and
     * rendering a made-up contact's email and SMS, and reads of the SES account and the SMS settings.
     * Nothing is written or sent.
     */
    public void prime() {
        sweep.run(Instant.EPOCH, () -> true);
        EnginePriming.run();
        Priming.quietly(() -> SesEmailSender.client().getAccount(r -> { }));
        Priming.quietly(() -> SnsSmsSender.client().getSMSAttributes(r -> r.attributes("DefaultSMSType")));
    }

    public DeciderHandler(Env env, Clock clock) {
        this(new Sweep(
                new DynamoDecisionStore(Clients.dynamo(), StoreConfig.from(env)),
                new SesEmailSender(SesEmailSender.client(), env.require("SENDER_EMAIL"), env.optional("CONFIGURATION_SET")),
                new SnsSmsSender(SnsSmsSender.client(), env.optional("SMS_ORIGINATION_NUMBER"), env.optional("SMS_SENDER_ID")),
                new RatePacer(env.requireDouble("SES_RATE_PER_SECOND"), env.requireDouble("SMS_RATE_PER_SECOND"), 200),
                LinkMaker::randomCode,
                () -> UUID.randomUUID().toString(),
                new Sweep.Settings(env.require("PUBLIC_BASE_URL"), Duration.parse(env.require("CLAIM_LEASE")),
                        200, 50, THROTTLE_RETRIES, env.requireInt("DECISION_ECHO"))), clock, new Metrics(env.optional("STACK_NAME")));
    }

    public DeciderHandler(Sweep sweep, Clock clock, Metrics metrics) {
        this.sweep = Objects.requireNonNull(sweep, "sweep");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The longest one send can take once started: the provider call, retried after throttling, then its record. */
    static Duration worstSend() {
        return Sdk.PROVIDER_CALL_TIMEOUT.multipliedBy(THROTTLE_RETRIES + 1L).plus(DynamoDecisionStore.worstRecord());
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
        // What the template's alarms watch: runs that could not be carried out, channels a provider refused.
        Map<String, Integer> watched = new LinkedHashMap<>();
        watched.put("RunsFailed", result.failed());
        watched.put("ChannelPaused", result.paused().size());
        metrics.emit(context, now.toEpochMilli(), watched);
        List<Map<String, Object>> lines = result.lines().stream().map(DecisionLine::toMap).toList();
        Map<String, Object> response = new LinkedHashMap<>(summary);
        response.put("decisions", lines);
        Json.write(output, response);
    }
}
