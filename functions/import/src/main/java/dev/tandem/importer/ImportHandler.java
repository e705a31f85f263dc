package dev.tandem.importer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tandem.app.ContactImport;
import dev.tandem.app.ImportRun;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.Log;
import dev.tandem.aws.Priming;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.DynamoImportProgress;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.port.ImportProgressStore.Upload;
import dev.tandem.validation.InvalidInputException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@code ImportFunction}: imports a contacts file dropped in {@code ImportBucket} under {@code imports/}. It takes S3's
 * event notification (through {@code ImportQueue}, or directly), and its own continuations from that queue
 * ({@code {"import": {"bucket", "key", "etag", "version"}}}): each invocation goes on from where the last one stopped
 * ({@link ImportRun}) and, when its time runs low, puts a continuation on the queue for the next. Its own outputs
 * ({@code .errors.jsonl}, {@code .summary.json}) and S3's test event are acknowledged and left alone.
 */
public final class ImportHandler implements RequestStreamHandler {
    /** No new window of rows starts with less than this left: a window's reads and writes, with their retries, fit in it. */
    public static final long MARGIN_MILLIS = 60_000;
    /** Rows read, validated and written together; {@code IMPORT_WINDOW_ROWS} sets another number. */
    public static final int WINDOW = 1000;
    /** Requests to DynamoDB side by side; {@code IMPORT_WRITERS} sets another number. */
    public static final int WRITERS = 16;

    private final ImportRun run;
    private final Consumer<Upload> handOff;
    private final Clock clock;

    public ImportHandler() {
        this(Env.system(), Clock.systemUTC());
        Priming.register("ImportFunction", ImportHandler::prime);
    }

    public ImportHandler(Env env, Clock clock) {
        this(run(env), continuations(SqsClient.builder().httpClient(dev.tandem.aws.Sdk.http())
                .overrideConfiguration(dev.tandem.aws.Sdk.overrides()).build(), env.require("IMPORT_QUEUE_URL")), clock);
    }

    public ImportHandler(ImportRun run, Consumer<Upload> handOff, Clock clock) {
        this.run = Objects.requireNonNull(run, "run");
        this.handOff = Objects.requireNonNull(handOff, "handOff");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static ImportRun run(Env env) {
        StoreConfig config = StoreConfig.from(env);
        int writers = optionalInt(env, "IMPORT_WRITERS", WRITERS);
        var pool = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "import-writer");
            t.setDaemon(true);
            return t;
        });
        return new ImportRun(new S3ImportFiles(S3ImportFiles.client(env)),
                new DynamoImportProgress(Clients.dynamo(), config),
                new ContactImport(new DynamoContactStore(Clients.dynamo(), config, pool)),
                text -> Json.read(text, "row"), Json::write, optionalInt(env, "IMPORT_WINDOW_ROWS", WINDOW));
    }

    private static int optionalInt(Env env, String name, int fallback) {
        String v = env.optional(name);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    /** A continuation is a message on the queue naming the upload: whoever takes it goes on from the upload's progress. */
    static Consumer<Upload> continuations(SqsClient sqs, String queueUrl) {
        return u -> sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(Json.write(continuation(u))));
    }

    public static Map<String, Object> continuation(Upload u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucket", u.bucket());
        m.put("key", u.key());
        m.put("etag", u.etag());
        m.put("version", u.version());
        return Map.of("import", m);
    }

    /** SnapStart priming: rows read and validated in memory; nothing is read from or written to AWS. */
    static void prime() {
        try {
            var records = new dev.tandem.imports.Records(new java.io.ByteArrayInputStream(
                    "id,email,phone,timezone,consent.email\np1,prime@tandem.invalid,+14155550100,Europe/Paris,subscribed\n"
                            .getBytes(StandardCharsets.UTF_8)), 0, dev.tandem.imports.ImportFormat.CSV);
            List<String> header = dev.tandem.imports.ImportRows.header(records.next().cells());
            dev.tandem.imports.ImportRows.csv(1, header, records.next(), Instant.EPOCH);
            Json.read("{\"id\":\"p1\",\"email\":\"prime@tandem.invalid\"}", "row");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        if (event.get("Records") instanceof List<?> records && !records.isEmpty()
                && records.get(0) instanceof Map<?, ?> first && "aws:sqs".equals(first.get("eventSource"))) {
            Json.write(output, queued(records, context));
            return;
        }
        Json.write(output, Map.of("imports", message(event, context)));
    }

    /** An SQS batch: each message on its own; one that fails is reported, to come back after the visibility timeout. */
    private Map<String, Object> queued(List<?> records, Context context) {
        List<Map<String, Object>> failures = new ArrayList<>();
        for (Object o : records) {
            Map<?, ?> record = (Map<?, ?>) o;
            try {
                message(Json.object(Json.read(String.valueOf(record.get("body")), "body"), "body"), context);
            } catch (InvalidInputException e) {
                Log.error(context, "import message dropped: not one ImportFunction reads", Map.of("messageId",
                        String.valueOf(record.get("messageId")), "error", e.getMessage()), null);
            } catch (RuntimeException e) {
                Log.error(context, "import message failed; it comes back", Map.of("messageId", String.valueOf(record.get("messageId"))), e);
                failures.add(Map.of("itemIdentifier", String.valueOf(record.get("messageId"))));
            }
        }
        return Map.of("batchItemFailures", failures);
    }

    /** One message: S3's notification of uploads, or a continuation. */
    private List<Map<String, Object>> message(Map<String, Object> m, Context context) {
        List<Upload> uploads = new ArrayList<>();
        if (m.get("import") instanceof Map<?, ?> c) {
            uploads.add(new Upload(text(c, "bucket"), text(c, "key"), text(c, "etag"), text(c, "version")));
        } else if (m.get("Records") instanceof List<?> records) {
            for (Object o : records) {
                Map<?, ?> r = (Map<?, ?>) o;
                if (!"aws:s3".equals(r.get("eventSource")) || !String.valueOf(r.get("eventName")).startsWith("ObjectCreated:")) {
                    continue;
                }
                Map<?, ?> s3 = (Map<?, ?>) r.get("s3");
                Map<?, ?> object = (Map<?, ?>) s3.get("object");
                // S3 writes the key URL-encoded, a space as '+'.
                String key = URLDecoder.decode(text(object, "key"), StandardCharsets.UTF_8);
                uploads.add(new Upload(text((Map<?, ?>) s3.get("bucket"), "name"), key, text(object, "eTag"), text(object, "sequencer")));
            }
        } else if (!"s3:TestEvent".equals(m.get("Event"))) {
            throw new InvalidInputException("", "neither an S3 event notification nor an import continuation");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Upload u : uploads) {
            out.add(one(u, context));
        }
        return out;
    }

    private Map<String, Object> one(Upload u, Context context) {
        Instant now = clock.instant();
        long remaining = context == null ? Duration.ofMinutes(15).toMillis() : context.getRemainingTimeInMillis();
        String owner = context == null || context.getAwsRequestId() == null ? java.util.UUID.randomUUID().toString() : context.getAwsRequestId();
        ImportRun.Result r = run.run(u, owner, now, Duration.ofMillis(remaining).plusSeconds(60),
                () -> context == null || context.getRemainingTimeInMillis() > MARGIN_MILLIS);
        if (r.status() == ImportRun.Result.Status.CONTINUES) {
            handOff.accept(u);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("key", u.key());
        line.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        line.put("reason", r.reason());
        if (r.progress() != null) {
            line.put("summary", ImportRun.summary(r.progress()));
        }
        // The key names a file, not a person; the counts are all the log holds of its rows.
        Log.info(context, "import", line);
        return line;
    }

    private static String text(Map<?, ?> m, String field) {
        Object v = m == null ? null : m.get(field);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new InvalidInputException(field, field + " is missing");
        }
        return s;
    }
}
