package dev.tandem.app;

import dev.tandem.port.ImportProgressStore.Upload;
import dev.tandem.testing.InMemoryContactStore;
import dev.tandem.testing.InMemoryImportFiles;
import dev.tandem.testing.InMemoryImportProgress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportRunTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(15);

    private final InMemoryContactStore store = new InMemoryContactStore();
    private final InMemoryImportFiles files = new InMemoryImportFiles();
    private final InMemoryImportProgress progress = new InMemoryImportProgress();

    /** Enough JSON for the outputs: flat objects of strings and numbers. */
    static String json(Object value) {
        Map<?, ?> m = (Map<?, ?>) value;
        return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private ImportRun run(int window) {
        return new ImportRun(files, progress, new ContactImport(store), text -> {
            throw new UnsupportedOperationException("CSV only");
        }, ImportRunTest::json, window);
    }

    private Upload upload(String key, String content, String version) {
        return new Upload("bucket", key, files.put(key, content), version);
    }

    private static String rows(int n, int badEvery) {
        StringBuilder b = new StringBuilder("id,email,attr.n\n");
        for (int i = 1; i <= n; i++) {
            b.append("c").append(i).append(',').append(i % badEvery == 0 ? "bad-address" : "c" + i + "@example.com").append(',').append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void aFileFinishedOverSeveralInvocationsImportsEveryRowOnceAndKeepsEveryErrorInOneFile() {
        Upload u = upload("imports/people.csv", rows(10, 4), "s1");
        List<ImportRun.Result> results = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            ImportRun.Result r = run(3).run(u, "invocation-" + i, NOW, LEASE, () -> false);
            results.add(r);
            if (r.status() != ImportRun.Result.Status.CONTINUES) {
                break;
            }
        }

        assertEquals(4, results.size(), "three rows an invocation, then the end of the file");
        assertEquals(ImportRun.Result.Status.FINISHED, results.get(3).status());
        assertEquals("{\"rows\": 10, \"imported\": 8, \"refused\": 2, \"unchanged\": 0}\n", files.text("imports/people.summary.json"));
        assertEquals("{\"row\": 4, \"field\": \"email\", \"error\": \"email is not a valid email address\"}\n"
                + "{\"row\": 8, \"field\": \"email\", \"error\": \"email is not a valid email address\"}\n", files.text("imports/people.errors.jsonl"));
        assertEquals(8, store.ids().size());
        assertTrue(files.keys().stream().noneMatch(k -> k.startsWith(ImportRun.PARTS_PREFIX)), "the parts are gone: " + files.keys());
    }

    @Test
    void theSameUploadDeliveredAgainChangesNothingAndANewUploadOfTheSameFileWritesNothing() {
        String content = rows(5, 100);
        Upload u = upload("imports/people.csv", content, "s1");
        run(100).run(u, "a", NOW, LEASE, () -> true);

        ImportRun.Result redelivered = run(100).run(u, "b", NOW.plusSeconds(5), LEASE, () -> true);
        Upload again = upload("imports/people.csv", content, "s2");
        ImportRun.Result reimported = run(100).run(again, "c", NOW.plusSeconds(60), LEASE, () -> true);

        assertEquals(ImportRun.Result.Status.IGNORED, redelivered.status());
        assertEquals("finished already", redelivered.reason());
        assertEquals(ImportRun.Result.Status.FINISHED, reimported.status());
        assertEquals("{\"rows\": 5, \"imported\": 0, \"refused\": 0, \"unchanged\": 5}\n", files.text("imports/people.summary.json"));
        assertEquals(NOW, store.find("c1").orElseThrow().updatedAt(), "not written again");
    }

    @Test
    void aSecondInvocationWhileTheFirstHoldsTheLeaseDoesNothing() {
        Upload u = upload("imports/people.csv", rows(6, 100), "s1");
        ImportRun.Result first = run(2).run(u, "a", NOW, LEASE, () -> false);
        progress.lease(u, "a", NOW, NOW.plus(LEASE));

        ImportRun.Result twin = run(2).run(u, "b", NOW.plusSeconds(1), LEASE, () -> true);

        assertEquals(ImportRun.Result.Status.CONTINUES, first.status());
        assertEquals(ImportRun.Result.Status.IGNORED, twin.status());
        assertEquals(2, store.ids().size());
    }

    @Test
    void aFileThatCannotBeReadEndsWithItsErrorInTheSummaryAndTheErrors() {
        Upload unknown = upload("imports/a.csv", "id,email,nickname\nc1,a@example.com,A\n", "s1");
        Upload empty = upload("imports/b.csv", "", "s1");
        Upload headerOnly = upload("imports/c.csv", "id,email\n", "s1");

        run(10).run(unknown, "x", NOW, LEASE, () -> true);
        run(10).run(empty, "x", NOW, LEASE, () -> true);
        run(10).run(headerOnly, "x", NOW, LEASE, () -> true);

        assertTrue(files.text("imports/a.summary.json").contains("\"error\": \"unknown column nickname;"), files.text("imports/a.summary.json"));
        assertTrue(files.text("imports/a.errors.jsonl").startsWith("{\"row\": 0, \"field\": \"nickname\", \"error\": \"unknown column nickname"));
        assertEquals("{\"rows\": 0, \"imported\": 0, \"refused\": 0, \"unchanged\": 0, \"error\": \"the file is empty\"}\n", files.text("imports/b.summary.json"));
        assertTrue(files.text("imports/c.summary.json").contains("no rows"));
        assertTrue(store.ids().isEmpty());
    }

    @Test
    void itsOwnOutputsAreNotImports() {
        assertFalse(ImportRun.importable("imports/people.errors.jsonl"));
        assertFalse(ImportRun.importable("imports/people.summary.json"));
        assertFalse(ImportRun.importable("imports/people.txt"));
        assertTrue(ImportRun.importable("imports/people.jsonl"));
        assertEquals("imports/2026/people", ImportRun.base("imports/2026/people.csv"));
    }

    @Test
    void aFileReplacedDuringItsImportStopsWithThatError() {
        Upload u = upload("imports/people.csv", rows(6, 100), "s1");
        run(2).run(u, "a", NOW, LEASE, () -> false);
        files.put("imports/people.csv", rows(3, 100));

        ImportRun.Result r = run(2).run(u, "b", NOW.plusSeconds(1), LEASE, () -> true);

        assertEquals(ImportRun.Result.Status.FINISHED, r.status());
        assertTrue(files.text("imports/people.summary.json").contains("replaced or deleted"), files.text("imports/people.summary.json"));
    }
}
