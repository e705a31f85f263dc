package dev.tandem.local;

import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The events bucket as a consumer reads it: the objects under {@code events/}, each newline-delimited JSON records,
 * gzipped as Firehose writes them in AWS (plain on the emulator, which does not compress).
 */
public final class EventsBucket {
    public static final String PREFIX = "events/";

    private final String bucket;

    public EventsBucket(Template template) {
        this.bucket = template.physicalName("EventsBucket");
    }

    public String name() {
        return bucket;
    }

    /** The keys under {@code events/}, oldest name first. */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        try (S3Client s3 = client()) {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(PREFIX)).contents().forEach(o -> out.add(o.key()));
        }
        out.sort(null);
        return out;
    }

    /** The records of the objects under {@code events/} whose keys are not in {@code skip}, in key order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> records(Set<String> skip) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (S3Client s3 = client()) {
            for (String key : keys()) {
                if (skip.contains(key)) {
                    continue;
                }
                ResponseBytes<GetObjectResponse> body = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
                int n = 0;
                for (String line : text(body.asByteArray()).split("\n")) {
                    n++;
                    if (!line.isBlank()) {
                        out.add((Map<String, Object>) Json.read(line, key + " line " + n));
                    }
                }
            }
        }
        return out;
    }

    /** An object's text, gunzipped when it is gzip. */
    static String text(byte[] bytes) {
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code ./tandem events [--out FILE]}: every record in the bucket, as JSON lines, to the file or standard output. */
    static int command(Template template, List<String> args) throws IOException {
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--out") && i + 1 < args.size()) {
                out = Path.of(args.get(++i));
            } else {
                System.err.println("usage: tandem events [--out FILE]");
                return 2;
            }
        }
        EventsBucket b = new EventsBucket(template);
        List<Map<String, Object>> records = b.records(Set.of());
        StringBuilder text = new StringBuilder();
        records.forEach(r -> text.append(Json.write(r)).append('\n'));
        if (out == null) {
            System.out.print(text);
        } else {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, text);
        }
        System.err.printf("tandem events: %d records from s3://%s/%s%s%n", records.size(), b.name(), PREFIX,
                out == null ? "" : " written to " + out);
        return 0;
    }

    private static S3Client client() {
        return S3Client.builder().httpClient(Sdk.http()).forcePathStyle(true).build();
    }
}
