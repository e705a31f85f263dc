package dev.tandem.app;

import dev.tandem.imports.ImportFormat;
import dev.tandem.imports.ImportRow;
import dev.tandem.imports.ImportRows;
import dev.tandem.imports.Records;
import dev.tandem.imports.RowError;
import dev.tandem.port.ImportFiles;
import dev.tandem.port.ImportProgressStore;
import dev.tandem.port.ImportProgressStore.Progress;
import dev.tandem.port.ImportProgressStore.Upload;
import dev.tandem.validation.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One invocation's share of an import: it takes the upload's lease, reads on from where the last invocation stopped,
 * writes windows of rows ({@link ContactImport}) and records how far it got after each, until the file ends or its
 * time runs low; then the next invocation goes on. Each window's refused rows are written as a part beside the file;
 * the last invocation joins the parts into {@code NAME.errors.jsonl} and writes {@code NAME.summary.json}. An invocation
 * that stops without a word leaves at most its current window to do again: rows it had written count as unchanged then.
 */
public final class ImportRun {
    public static final String ERRORS_SUFFIX = ".errors.jsonl";
    public static final String SUMMARY_SUFFIX = ".summary.json";
    /** Where the parts of the errors file wait until the import ends: outside the watched prefix. */
    public static final String PARTS_PREFIX = "import-parts/";

    private final ImportFiles files;
    private final ImportProgressStore progress;
    private final ContactImport contacts;
    private final Function<String, Object> json;
    private final Function<Object, String> toJson;
    private final int window;

    public ImportRun(ImportFiles files, ImportProgressStore progress, ContactImport contacts,
                     Function<String, Object> json, Function<Object, String> toJson, int window) {
        this.files = Objects.requireNonNull(files, "files");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.json = Objects.requireNonNull(json, "json");
        this.toJson = Objects.requireNonNull(toJson, "toJson");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.window = window;
    }

    /** What an invocation did: finished the import, left the rest to the next one, or had nothing to do (and why). */
    public record Result(Status status, Progress progress, String reason) {
        public enum Status { FINISHED, CONTINUES, IGNORED }
    }

    /** An upload's key is one the import takes: under its prefix, a .csv or .jsonl, and not one of its own outputs. */
    public static boolean importable(String key) {
        return !key.endsWith(ERRORS_SUFFIX) && !key.endsWith(SUMMARY_SUFFIX) && ImportFormat.of(key).isPresent();
    }

    /** {@code imports/a/contacts.csv} gives {@code imports/a/contacts}: the name the outputs take. */
    public static String base(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot > slash ? key.substring(0, dot) : key;
    }

    /**
     * Goes on with an import. {@code owner} names this invocation; {@code lease} is how long it may hold the upload;
     * {@code timeLeft} says whether another window fits before the invocation must stop. At least one window is written
     * per invocation, so that an import always moves.
     */
    public Result run(Upload upload, String owner, Instant now, Duration lease, BooleanSupplier timeLeft) {
        if (!importable(upload.key())) {
            return new Result(Result.Status.IGNORED, null, "not an import file: " + upload.key());
        }
        ImportFormat format = ImportFormat.of(upload.key()).orElseThrow();
        progress.begin(upload, Progress.start(), now);
        Progress p = progress.find(upload).orElseThrow(() -> new IllegalStateException("the import's progress was not recorded"));
        if (p.done()) {
            return new Result(Result.Status.IGNORED, p, "finished already");
        }
        if (!progress.lease(upload, owner, now, now.plus(lease))) {
            return new Result(Result.Status.IGNORED, p, "another invocation is importing it");
        }
        try (InputStream in = files.open(upload.bucket(), upload.key(), upload.etag(), p.offset())) {
            Records records = new Records(in, p.offset(), format);
            if (p.offset() == 0 && p.rows() == 0) {
                Records.Record first = format == ImportFormat.CSV ? records.next() : null;
                if (format == ImportFormat.CSV) {
                    if (first == null) {
                        return fail(upload, owner, p, "", "the file is empty");
                    }
                    if (first.problem() != null) {
                        return fail(upload, owner, p, "", "the header cannot be read: " + first.problem());
                    }
                    try {
                        p = with(p, records.offset(), 0, ImportRows.header(first.cells()));
                    } catch (InvalidInputException e) {
                        return fail(upload, owner, p, e.field(), e.getMessage());
                    }
                }
            }
            boolean first = true;
            while (true) {
                if (!first && !timeLeft.getAsBoolean()) {
                    progress.release(upload, owner, p);
                    return new Result(Result.Status.CONTINUES, p, "time is running low");
                }
                first = false;
                List<ImportRow> rows = new ArrayList<>(window);
                long row = p.rows();
                for (Records.Record r; rows.size() < window && (r = records.next()) != null; ) {
                    row++;
                    ImportRow read = format == ImportFormat.CSV ? ImportRows.csv(row, p.header(), r, now) : ImportRows.jsonl(row, r, json, now);
                    // The consent a row sets names the file and row it came from, in the consent history.
                    rows.add(read.valid() ? ImportRow.ok(read.row(), read.draft().withConsentEvidence(Map.of(
                            "file", upload.key(), "row", Long.toString(read.row())))) : read);
                }
                if (rows.isEmpty()) {
                    if (p.rows() == 0) {
                        return fail(upload, owner, p, "", format == ImportFormat.CSV ? "the file has a header and no rows" : "the file is empty");
                    }
                    return finish(upload, owner, p);
                }
                ContactImport.Outcome o = contacts.write(rows, now);
                int parts = p.parts();
                if (!o.refused().isEmpty()) {
                    files.write(upload.bucket(), part(upload, parts), lines(o.refused()), "application/x-ndjson");
                    parts++;
                }
                p = new Progress(false, records.offset(), row, p.header(), p.imported() + o.imported(), p.unchanged() + o.unchanged(),
                        p.refused() + o.refused().size(), parts, null);
                if (rows.size() < window) {
                    return finish(upload, owner, p);
                }
                if (!progress.checkpoint(upload, owner, p)) {
                    return new Result(Result.Status.IGNORED, p, "the lease was lost");
                }
            }
        } catch (ImportFiles.FileChangedException e) {
            return fail(upload, owner, p, "", "the file was replaced or deleted while it was imported; the new upload is imported on its own");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Progress with(Progress p, long offset, long rows, List<String> header) {
        return new Progress(p.done(), offset, rows, header, p.imported(), p.unchanged(), p.refused(), p.parts(), p.error());
    }

    private Result fail(Upload upload, String owner, Progress p, String field, String error) {
        Progress failed = new Progress(false, p.offset(), p.rows(), p.header(), p.imported(), p.unchanged(), p.refused(), p.parts(), error);
        return finish(upload, owner, failed, new RowError(0, field, error));
    }

    private Result finish(Upload upload, String owner, Progress p) {
        return finish(upload, owner, p, null);
    }

    /** Joins the error parts into one file, writes the summary, records the import as done, and drops the parts. */
    private Result finish(Upload upload, String owner, Progress p, RowError fileError) {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        for (int i = 0; i < p.parts(); i++) {
            errors.writeBytes(files.read(upload.bucket(), part(upload, i)));
        }
        if (fileError != null) {
            errors.writeBytes(lines(List.of(fileError)));
        }
        String base = base(upload.key());
        files.write(upload.bucket(), base + ERRORS_SUFFIX, errors.toByteArray(), "application/x-ndjson");
        files.write(upload.bucket(), base + SUMMARY_SUFFIX, (toJson.apply(summary(p)) + "\n").getBytes(StandardCharsets.UTF_8),
                "application/json");
        Progress done = new Progress(true, p.offset(), p.rows(), p.header(), p.imported(), p.unchanged(), p.refused(), p.parts(), p.error());
        if (!progress.release(upload, owner, done)) {
            return new Result(Result.Status.IGNORED, p, "the lease was lost");
        }
        for (int i = 0; i < p.parts(); i++) {
            files.delete(upload.bucket(), part(upload, i));
        }
        return new Result(Result.Status.FINISHED, done, p.error() == null ? "the file ended" : p.error());
    }

    /** {@code {"rows": N, "imported": N, "refused": N, "unchanged": N}}, and {@code "error"} when the file could not be read. */
    public static Map<String, Object> summary(Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", p.rows());
        m.put("imported", p.imported());
        m.put("refused", p.refused());
        m.put("unchanged", p.unchanged());
        if (p.error() != null) {
            m.put("error", p.error());
        }
        return m;
    }

    private byte[] lines(List<RowError> errors) {
        StringBuilder b = new StringBuilder();
        for (RowError e : errors) {
            b.append(toJson.apply(e.toMap())).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A part of the errors file, named after the upload, so that two uploads of one file keep theirs apart. */
    static String part(Upload upload, int index) {
        return PARTS_PREFIX + upload.key() + "/" + upload.version() + "/" + String.format("%06d", index) + ".jsonl";
    }
}
