package dev.tandem.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where an import keeps how far it got, so that the next invocation goes on from there. One record per upload of a
 * file (its bucket, key and the upload's S3 sequencer): a second delivery of the same upload's notification finds it,
 * while a new upload of the same file is imported again. Only the holder of the lease may move it on.
 */
public interface ImportProgressStore {

    Optional<Progress> find(Upload upload);

    /** Records that an import began, unless it is recorded already. */
    void begin(Upload upload, Progress start, Instant now);

    /** Takes the lease until {@code until} when nobody holds it (or it lapsed); false when another invocation holds it. */
    boolean lease(Upload upload, String owner, Instant now, Instant until);

    /** Moves the import on, while {@code owner} holds the lease; false when it no longer does. */
    boolean checkpoint(Upload upload, String owner, Progress progress);

    /** Moves the import on and gives the lease back, for the next invocation to take. */
    boolean release(Upload upload, String owner, Progress progress);

    /** One upload of a file. {@code version} tells two uploads of the same key apart (the S3 event's sequencer). */
    record Upload(String bucket, String key, String etag, String version) {
    }

    /**
     * How far an import got: the byte offset of the next row, the rows read, the CSV header, the counts, the error parts
     * written so far, whether it is done, and the error that ended it, if one did.
     */
    record Progress(boolean done, long offset, long rows, List<String> header, long imported, long unchanged, long refused,
                    int parts, String error) {
        public static Progress start() {
            return new Progress(false, 0, 0, null, 0, 0, 0, 0, null);
        }
    }
}
