package dev.tandem.testing;

import dev.tandem.port.ImportFiles;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A bucket in memory: objects by key, each with an etag that changes when it is written again. */
public class InMemoryImportFiles implements ImportFiles {
    private final Map<String, byte[]> objects = new TreeMap<>();
    private final Map<String, String> etags = new TreeMap<>();
    private int writes;

    public synchronized String put(String key, String content) {
        write("bucket", key, content.getBytes(StandardCharsets.UTF_8), "text/plain");
        return etags.get(key);
    }

    @Override
    public synchronized InputStream open(String bucket, String key, String etag, long offset) {
        byte[] b = objects.get(key);
        if (b == null || !etags.get(key).equals(etag)) {
            throw new FileChangedException(key + " changed");
        }
        return new ByteArrayInputStream(b, (int) offset, b.length - (int) offset);
    }

    @Override
    public synchronized byte[] read(String bucket, String key) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new IllegalStateException("no object " + key);
        }
        return b;
    }

    @Override
    public synchronized void write(String bucket, String key, byte[] content, String contentType) {
        objects.put(key, content.clone());
        etags.put(key, "etag-" + (++writes));
    }

    @Override
    public synchronized void delete(String bucket, String key) {
        objects.remove(key);
        etags.remove(key);
    }

    public synchronized String text(String key) {
        byte[] b = objects.get(key);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public synchronized java.util.Set<String> keys() {
        return java.util.Set.copyOf(objects.keySet());
    }
}
