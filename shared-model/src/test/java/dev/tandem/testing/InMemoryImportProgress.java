package dev.tandem.testing;

import dev.tandem.port.ImportProgressStore;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Import progress in memory, with the DynamoDB store's lease rules. */
public class InMemoryImportProgress implements ImportProgressStore {
    private record Held(Progress progress, String owner, Instant until) {
    }

    private final Map<Upload, Held> items = new HashMap<>();

    @Override
    public synchronized Optional<Progress> find(Upload upload) {
        return Optional.ofNullable(items.get(upload)).map(Held::progress);
    }

    @Override
    public synchronized void begin(Upload upload, Progress start, Instant now) {
        items.putIfAbsent(upload, new Held(start, null, Instant.EPOCH));
    }

    @Override
    public synchronized boolean lease(Upload upload, String owner, Instant now, Instant until) {
        Held h = items.get(upload);
        if (h == null || h.progress().done() || h.until().isAfter(now)) {
            return false;
        }
        items.put(upload, new Held(h.progress(), owner, until));
        return true;
    }

    @Override
    public synchronized boolean checkpoint(Upload upload, String owner, Progress progress) {
        Held h = items.get(upload);
        if (h == null || !owner.equals(h.owner())) {
            return false;
        }
        items.put(upload, new Held(progress, owner, h.until()));
        return true;
    }

    @Override
    public synchronized boolean release(Upload upload, String owner, Progress progress) {
        Held h = items.get(upload);
        if (h == null || !owner.equals(h.owner())) {
            return false;
        }
        items.put(upload, new Held(progress, null, Instant.EPOCH));
        return true;
    }
}
