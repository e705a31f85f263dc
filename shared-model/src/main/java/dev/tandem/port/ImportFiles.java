package dev.tandem.port;

import java.io.InputStream;

/** Where import files and what an import writes beside them are kept (an S3 bucket in AWS). */
public interface ImportFiles {

    /**
     * The file from byte {@code offset} on, as it was when the import began ({@code etag}): a file replaced since throws
     * {@link FileChangedException}.
     */
    InputStream open(String bucket, String key, String etag, long offset);

    byte[] read(String bucket, String key);

    void write(String bucket, String key, byte[] content, String contentType);

    void delete(String bucket, String key);

    /** The file was replaced or deleted after its import began. */
    final class FileChangedException extends RuntimeException {
        public FileChangedException(String message) {
            super(message, null, false, false);
        }
    }
}
