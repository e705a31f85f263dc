package dev.tandem.importer;

import dev.tandem.aws.Env;
import dev.tandem.aws.Sdk;
import dev.tandem.port.ImportFiles;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Import files on S3: a file read from a byte offset on, as it was when its import began, and the outputs beside it. */
public final class S3ImportFiles implements ImportFiles {
    private final S3Client s3;

    public S3ImportFiles(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    /**
     * The S3 client: the shared HTTP client and the SDK's default chains. Against an emulator or LocalStack
     * ({@code AWS_ENDPOINT_URL} set) buckets are addressed by path, as those serve them.
     */
    public static S3Client client(Env env) {
        return S3Client.builder()
                .httpClient(Sdk.http())
                .overrideConfiguration(Sdk.overrides())
                .forcePathStyle(env.optional("AWS_ENDPOINT_URL") != null)
                .build();
    }

    @Override
    public InputStream open(String bucket, String key, String etag, long offset) {
        try {
            ResponseInputStream<GetObjectResponse> body = s3.getObject(r -> r.bucket(bucket).key(key)
                    .ifMatch(quoted(etag)).range("bytes=" + offset + "-"));
            // Closing a stream read halfway would read the rest of a large file first: it is aborted instead.
            return new FilterInputStream(body) {
                @Override
                public void close() throws IOException {
                    body.abort();
                    body.close();
                }
            };
        } catch (NoSuchKeyException e) {
            throw new FileChangedException(key + " is gone");
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // Nothing from the offset on: the last invocation stopped at the very end of the file.
                return new ByteArrayInputStream(new byte[0]);
            }
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                throw new FileChangedException(key + " was replaced");
            }
            throw e;
        }
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    @Override
    public byte[] read(String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public void write(String bucket, String key, byte[] content, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    @Override
    public void delete(String bucket, String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
