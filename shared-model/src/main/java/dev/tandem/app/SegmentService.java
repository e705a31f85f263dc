package dev.tandem.app;

import dev.tandem.audience.Segment;
import dev.tandem.port.AudienceStore;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The segment routes' use cases: definitions, a count, and the members page by page (docs/segments.md). */
public final class SegmentService {
    public static final int MAX_PAGE = 1000;
    public static final int DEFAULT_PAGE = 100;
    /** Contacts read from one shard per request while counting. */
    static final int COUNT_PAGE = 1000;
    /** A member page stops after reading this many contacts, full or not; its cursor goes on from there. */
    static final int READ_BUDGET = 5000;

    private final AudienceStore store;
    private final ExecutorService pool;

    public SegmentService(AudienceStore store, int threads) {
        this.store = Objects.requireNonNull(store, "store");
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), Parallel.daemon("segment"));
    }

    public Segment put(String id, Object body) {
        Segment s = Segment.from(id, body);
        store.putSegment(s);
        return s;
    }

    public Segment get(String id) {
        Checks.id("id", id);
        return store.segment(id).orElseThrow(() -> new NotFoundException("id", "no segment " + id));
    }

    public long count(String id, Instant now) {
        return Audiences.count(store, get(id), now, pool, COUNT_PAGE);
    }

    public record Members(List<String> contacts, String next) {
    }

    /**
     * A page of members' ids: up to {@code limit}, after reading at most {@link #READ_BUDGET} contacts, so that a page
     * of a rare segment may hold fewer (even none) and still have a {@code next}.
     */
    public Members members(String id, Integer limit, String next, Instant now) {
        Segment s = get(id);
        int max = limit == null ? DEFAULT_PAGE : limit;
        if (max < 1 || max > MAX_PAGE) {
            throw new InvalidInputException("limit", "limit must be from 1 to " + MAX_PAGE);
        }
        String cursor = next;
        if (cursor != null && !cursor.matches("[0-9]{1,4}:.*")) {
            throw new InvalidInputException("next", "next is not a cursor this route returned");
        }
        List<String> ids = new ArrayList<>();
        int read = 0;
        do {
            Audiences.Page p;
            try {
                p = Audiences.page(store, s, cursor, max - ids.size(), now);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("next", "next is not a cursor this route returned");
            }
            ids.addAll(p.ids());
            read += p.read();
            cursor = p.next();
        } while (cursor != null && ids.size() < max && read < READ_BUDGET);
        return new Members(ids, cursor);
    }
}
