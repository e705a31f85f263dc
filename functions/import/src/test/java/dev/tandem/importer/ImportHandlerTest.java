package dev.tandem.importer;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.tandem.app.ContactImport;
import dev.tandem.app.ImportRun;
import dev.tandem.aws.Json;
import dev.tandem.port.ImportProgressStore.Upload;
import dev.tandem.testing.InMemoryContactStore;
import dev.tandem.testing.InMemoryImportFiles;
import dev.tandem.testing.InMemoryImportProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportHandlerTest {
    private final InMemoryContactStore store = new InMemoryContactStore();
    private final InMemoryImportFiles files = new InMemoryImportFiles();
    private final List<Upload> handedOff = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T17:00:00Z"), ZoneOffset.UTC);

    private ImportHandler handler(int window) {
        ImportRun run = new ImportRun(files, new InMemoryImportProgress(), new ContactImport(store),
                text -> Json.read(text, "row"), Json::write, window);
        return new ImportHandler(run, handedOff::add, clock);
    }

    /** The sample file uploaded with the etag the sample notifications name. */
    private void uploadSample() throws IOException {
        files.write("tandem-local-importbucket", "imports/contacts-sample.csv", Files.readAllBytes(Path.of("../../events/contacts-sample.csv")), "text/csv");
    }

    private static Map<?, ?> call(ImportHandler h, String event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return (Map<?, ?>) Json.read(out.toString(StandardCharsets.UTF_8), "");
    }

    private static String resource(String name) throws IOException {
        return new String(ImportHandlerTest.class.getResourceAsStream("/" + name).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void importsTheFileS3NotifiesThroughTheQueueAndAcknowledgesTheTestEvent() throws IOException {
        uploadSample();
        // The in-memory bucket numbers its etags: the notification's (the sample's MD5, as S3 gives it) becomes its own.
        String event = resource("s3-notification-via-sqs.json").replace("7c9fb3ca3989918acce027f51ecf4cfa", "etag-1");

        Map<?, ?> response = call(handler(100), event, context(900_000));

        assertEquals(Map.of("batchItemFailures", List.of()), response);
        assertEquals(List.of("ana", "ben", "chloe"), store.ids());
        assertEquals("{\"rows\":6,\"imported\":3,\"refused\":3,\"unchanged\":0}\n", files.text("imports/contacts-sample.summary.json"));
        assertEquals("""
                {"row":4,"field":"email","error":"email is not a valid email address"}
                {"row":5,"field":"email","error":"email already belongs to another contact (row 1 of this file has it)"}
                {"row":6,"field":"phone","error":"phone must be an E.164 number such as +14155550101"}
                """, files.text("imports/contacts-sample.errors.jsonl"));
        assertEquals(Map.of("firstName", "Chloe, \"Clo\"", "tier", "gold"), store.find("chloe").orElseThrow().attributes());
        assertEquals("en-US", store.find("chloe").orElseThrow().locale(), "the locale column is the contact's locale");
        assertEquals(Map.of("file", "imports/contacts-sample.csv", "row", "3"),
                store.consentHistory("chloe").get(0).evidence(), "consent from a file names the file and the row");
    }

    @Test
    void handsTheRestOnWhenTimeRunsLowAndTheContinuationFinishesIt() throws IOException {
        uploadSample();
        Upload u = new Upload("tandem-local-importbucket", "imports/contacts-sample.csv", "etag-1", "0055AED6DCD90281E5");
        ImportHandler h = handler(2);

        Map<?, ?> first = call(h, Json.write(ImportHandler.continuation(u)), context(1_000));
        int rounds = 1;
        while (!handedOff.isEmpty() && rounds < 10) {
            Upload next = handedOff.remove(0);
            call(h, Json.write(ImportHandler.continuation(next)), context(1_000));
            rounds++;
        }

        assertEquals("continues", ((Map<?, ?>) ((List<?>) first.get("imports")).get(0)).get("status"));
        assertEquals(4, rounds, "two rows an invocation, and the last finds the end of the file");
        assertEquals(3, store.ids().size());
        assertTrue(files.text("imports/contacts-sample.summary.json").startsWith("{\"rows\":6,\"imported\":3,\"refused\":3"));
    }

    @Test
    void ignoresItsOwnOutputsWhenS3NotifiesThem() throws IOException {
        String event = Files.readString(Path.of("../../events/import-s3-put.json"))
                .replace("imports/contacts-sample.csv", "imports/contacts-sample.errors.jsonl");

        Map<?, ?> response = call(handler(100), event, context(900_000));

        Map<?, ?> line = (Map<?, ?>) ((List<?>) response.get("imports")).get(0);
        assertEquals("ignored", line.get("status"));
        assertTrue(handedOff.isEmpty());
        assertTrue(files.keys().isEmpty(), "nothing written: " + files.keys());
    }

    @Test
    void aMessageThatIsNeitherIsDroppedNotRetried() {
        String event = "{\"Records\":[{\"messageId\":\"m1\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"hello\\\":1}\"}]}";

        assertEquals(Map.of("batchItemFailures", List.of()), call(handler(100), event, context(900_000)));
    }

    private static Context context(int remainingMillis) {
        return new Context() {
            public String getAwsRequestId() { return java.util.UUID.randomUUID().toString(); }
            public String getLogGroupName() { return "/aws/lambda/ImportFunction"; }
            public String getLogStreamName() { return "test"; }
            public String getFunctionName() { return "ImportFunction"; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:ImportFunction"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return remainingMillis; }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() { return null; }
        };
    }
}
