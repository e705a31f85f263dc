package dev.tandem.aws;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SnapStart priming: before Lambda takes the snapshot of an initialised function, run its request path once,
 * without side effects (a parse, a render, a read of a key that does not exist), so that the classes, the
 * serialisers and the SDK clients' request paths are loaded and compiled in the snapshot, not on the first
 * request after a restore. Credentials are not captured: the clients use the SDK's default provider chain,
 * which reads them again after the restore. Random values stay unique after a restore: codes and tokens come
 * from {@link java.security.SecureRandom}, which draws on the operating system for every value.
 */
public final class Priming implements Resource {
    /** The org.crac context may hold its resources weakly: these keep them alive. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Runnable prime;

    private Priming(String function, Runnable prime) {
        this.function = function;
        this.prime = prime;
    }

    /** Registers a function's priming with the runtime's checkpoint, where there is one (SnapStart). */
    public static void register(String function, Runnable prime) {
        Priming p = new Priming(function, prime);
        REGISTERED.add(p);
        Core.getGlobalContext().register(p);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        try {
            prime.run();
            Log.info(null, "primed", Map.of("function", function, "millis", (System.nanoTime() - start) / 1_000_000));
        } catch (RuntimeException e) {
            // A failed priming costs a slower first request, never the snapshot.
            Log.error(null, "priming failed", Map.of("function", function), e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: clients re-resolve credentials by themselves and hold no connection worth keeping.
    }

    /** A contact id no one has: priming reads it and finds nothing. */
    public static final String ID = "tandem-priming-0";

    /** Tandem's own Send event: parsed and mapped, then left alone (the decider records sends itself). */
    public static final String SES_SEND = "{\"eventType\":\"Send\",\"mail\":{\"timestamp\":\"2026-01-01T00:00:00.000Z\","
            + "\"messageId\":\"tandem-priming\",\"destination\":[\"prime@tandem.invalid\"],\"tags\":{\"tandem-contact\":[\""
            + ID + "\"],\"tandem-campaign\":[\"prime\"],\"tandem-step\":[\"email\"]}},\"send\":{}}";

    /** A delivery status still in flight: parsed, then left alone by design. */
    public static final String SMS_PENDING = "{\"eventType\":\"TEXT_PENDING\",\"eventTimestamp\":1767225600000,"
            + "\"isFinal\":false,\"messageId\":\"tandem-priming\"}";

    /** An SQS batch of one record holding the SNS envelope of a message. */
    public static com.amazonaws.services.lambda.runtime.events.SQSEvent sqs(String message) {
        com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage m =
                new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
        m.setMessageId("tandem-priming");
        m.setBody(Json.write(Map.of("Type", "Notification", "MessageId", "tandem-priming", "Message", message,
                "Timestamp", "2026-01-01T00:00:00.000Z")));
        m.setAttributes(Map.of("SentTimestamp", "1767225600000"));
        com.amazonaws.services.lambda.runtime.events.SQSEvent e = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
        e.setRecords(List.of(m));
        return e;
    }

    /** An HTTP API request (payload format 2.0). */
    public static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent request(String method, String path, String body) {
        return com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("$default").withRawPath(path).withBody(body).withIsBase64Encoded(false)
                .withHeaders(Map.of("content-type", "application/json", "host", "prime.invalid"))
                .withRequestContext(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("prime.invalid").withRequestId("tandem-priming")
                        .withHttp(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).build()).build())
                .build();
    }

    /** A probe of a client's request path whose answer does not matter (a permission refused is fine). */
    public static void quietly(Runnable probe) {
        try {
            probe.run();
        } catch (RuntimeException e) {
            Log.info(null, "priming probe answered with an error", Map.of("exception", e.getClass().getSimpleName()));
        }
    }
}
