package dev.tandem.local;

import dev.tandem.aws.Env;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.contact.Contact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ImportFunction on the emulator: the file in the bucket, S3's notification and the continuations through ImportQueue. */
class ImportIT {
    private static String table;
    private static LocalFunctions functions;
    private static LocalImport imports;
    private static DynamoContactStore store;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void stack() {
        table = Emulator.freshTable("import");
        // Five rows a window, so that a small file takes several windows, and several invocations when time is short.
        functions = new LocalFunctions(Emulator.template(), Clock.systemUTC(), Map.of("TABLE_NAME", table, "IMPORT_WINDOW_ROWS", "5"));
        imports = new LocalImport(functions);
        store = new DynamoContactStore(Emulator.dynamo(), StoreConfig.from(new Env(functions.environment("ImportFunction"))));
        new SnsSqsPath(Emulator.template()).purge(LocalImport.QUEUE);
    }

    @AfterAll
    static void drop() {
        imports.close();
        new Bootstrap(Emulator.template()).dropTable(table);
    }

    private Path file(String name, String content) throws IOException {
        Path dir = Files.createTempDirectory("tandem-import");
        return Files.writeString(dir.resolve(name), content);
    }

    /** A whole invocation per message: fifteen minutes, as deployed. */
    private LocalImport.Report importWhole(Path file) {
        return imports.run(file, "imports/" + run + "/" + file.getFileName(), () -> new LocalContext("ImportFunction", 900, 1024, true));
    }

    private String csv(int n) {
        StringBuilder b = new StringBuilder("id,email,phone,timezone,consent.email,attr.n\n");
        for (int i = 1; i <= n; i++) {
            String email = i % 7 == 0 ? "broken-" + i : run + "-" + i + "@example.com";
            b.append(run).append('-').append(i).append(',').append(email).append(",,Europe/Paris,subscribed,").append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void badRowsAreRefusedAloneGoodRowsAreStoredAndImportingAgainWritesNothing() throws IOException {
        store.save(new Contact("owner-" + run, "taken-" + run + "@example.com", null, null, Map.of(), Map.of(), Map.of(),
                java.time.Instant.now(), java.time.Instant.now()), null);
        Path f = file("people.csv", "id,email,phone,timezone,consent.sms,attr.tier\n"
                + run + "-a,a-" + run + "@example.com,,America/New_York,,gold\n"
                + run + "-b,taken-" + run + "@example.com,,,,\n"
                + run + "-c,c-" + run + "@example.com,+1415555,,,\n"
                + run + "-d,\"d-" + run + "@example.com\",,Mars/Base,,\n"
                + run + "-e,A-" + run + "@EXAMPLE.com,,,,\n"
                + run + "-f,f-" + run + "@example.com,,,subscribed,\"silver, then gold\"\n");

        LocalImport.Report first = importWhole(f);
        List<java.time.Instant> written = List.of("a", "c", "f").stream().map(x -> store.find(run + "-" + x).orElseThrow().updatedAt()).toList();
        Map<String, Long> before = RequestCounter.INSTANCE.snapshot();
        LocalImport.Report again = importWhole(f);
        Map<String, Long> after = RequestCounter.INSTANCE.snapshot();

        assertEquals("{\"rows\":6,\"imported\":3,\"refused\":3,\"unchanged\":0}", dev.tandem.aws.Json.write(first.summary()));
        assertEquals(List.of(
                "{\"row\":2,\"field\":\"email\",\"error\":\"email already belongs to another contact\"}",
                "{\"row\":4,\"field\":\"timezone\",\"error\":\"timezone must be an IANA time zone such as Europe/Paris\"}",
                "{\"row\":5,\"field\":\"email\",\"error\":\"email already belongs to another contact (row 1 of this file has it)\"}"), first.errors());
        assertEquals("gold", store.find(run + "-a").orElseThrow().attributes().get("tier"));
        assertEquals("silver, then gold", store.find(run + "-f").orElseThrow().attributes().get("tier"));
        assertEquals("+1415555", store.find(run + "-c").orElseThrow().phone(), "seven digits is E.164");
        assertTrue(store.find(run + "-b").isEmpty() && store.find(run + "-d").isEmpty() && store.find(run + "-e").isEmpty());

        assertEquals("{\"rows\":6,\"imported\":0,\"refused\":3,\"unchanged\":3}", dev.tandem.aws.Json.write(again.summary()));
        assertEquals(written, List.of("a", "c", "f").stream().map(x -> store.find(run + "-" + x).orElseThrow().updatedAt()).toList(),
                "no contact written the second time");
        assertEquals(1, after.getOrDefault("DynamoDb.TransactWriteItems", 0L) - before.getOrDefault("DynamoDb.TransactWriteItems", 0L),
                "the one transaction of the second run is row 2's claim of a taken address, which the table refuses again");
    }

    @Test
    void aFileFinishedOverManyInvocationsImportsEveryRowExactlyOnceAndARedeliveredNotificationChangesNothing() throws IOException {
        Path f = file("many.csv", csv(23));
        String key = "imports/" + run + "/many.csv";
        String notification = imports.upload(f, key);

        // One second left in every invocation: one window of five rows each, then a continuation on ImportQueue.
        int invocations = imports.drain(() -> new LocalContext("ImportFunction", 1, 1024, true));
        LocalImport.Report r = imports.report(key, invocations);
        Map<String, Long> before = RequestCounter.INSTANCE.snapshot();
        imports.deliver(notification);
        imports.drain(() -> new LocalContext("ImportFunction", 900, 1024, true));
        Map<String, Long> after = RequestCounter.INSTANCE.snapshot();

        assertEquals(5, invocations, "23 rows at five an invocation");
        assertEquals("{\"rows\":23,\"imported\":20,\"refused\":3,\"unchanged\":0}", dev.tandem.aws.Json.write(r.summary()));
        assertEquals(List.of(7L, 14L, 21L), r.errors().stream().map(l -> ((Number) ((Map<?, ?>) dev.tandem.aws.Json.read(l, "")).get("row")).longValue()).toList(),
                "the refusals of every invocation, in one file");
        for (int i = 1; i <= 23; i++) {
            assertEquals(i % 7 != 0, store.find(run + "-" + i).isPresent(), "row " + i);
        }
        assertEquals(r.summary().toString(), imports.report(key, 0).summary().toString(), "the summary stands");
        assertEquals(0, after.getOrDefault("DynamoDb.TransactWriteItems", 0L) - before.getOrDefault("DynamoDb.TransactWriteItems", 0L),
                "the notification delivered again wrote nothing");
    }

    @Test
    void aFileThatIsNotAContactsFileGetsItsErrorInTheSummaryAndTheErrors() throws IOException {
        LocalImport.Report unknown = importWhole(file("odd.csv", "{\"id\":\"x\",\"email\":\"x@example.com\"}\n"));
        LocalImport.Report empty = importWhole(file("empty.jsonl", "\n"));
        LocalImport.Report notJson = importWhole(file("lines.jsonl", "id,email\n{\"id\":\"" + run + "-j\",\"email\":\"j-" + run + "@example.com\"}\n"));

        assertTrue(String.valueOf(unknown.summary().get("error")).startsWith("the header cannot be read: cell 2 has text after its closing quote"),
                unknown.summary().toString());
        assertTrue(unknown.errors().get(0).startsWith("{\"row\":0,"), unknown.errors().toString());
        assertEquals("the file is empty", empty.summary().get("error"));
        assertEquals("{\"rows\":2,\"imported\":1,\"refused\":1,\"unchanged\":0}", dev.tandem.aws.Json.write(notJson.summary()));
        assertEquals(List.of("{\"row\":1,\"field\":\"\",\"error\":\"the row is not valid JSON\"}"), notJson.errors());
    }
}
