package dev.tandem.app;

import dev.tandem.audience.Member;
import dev.tandem.audience.Segment;
import dev.tandem.port.AudienceStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * A segment's members, read shard by shard from the audience store and kept when the condition holds. A cursor is
 * {@code shard:inner}: the shard being read and the store's cursor within it.
 */
final class Audiences {
    private Audiences() {
    }

    /** Up to one store page of members after {@code cursor}, the matching ones' ids, and the cursor after the page. */
    record Page(List<String> ids, String next, int read) {
    }

    static Page page(AudienceStore store, Segment segment, String cursor, int limit, Instant now) {
        int shard = 0;
        String inner = null;
        if (cursor != null) {
            int colon = cursor.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("not an audience cursor: " + cursor);
            }
            shard = Integer.parseInt(cursor.substring(0, colon));
            inner = colon == cursor.length() - 1 ? null : cursor.substring(colon + 1);
        }
        if (shard >= store.shards()) {
            return new Page(List.of(), null, 0);
        }
        AudienceStore.MemberPage page = store.members(shard, inner, limit);
        List<String> ids = matching(store, segment, page.members(), now);
        String next;
        if (page.next() != null) {
            next = shard + ":" + page.next();
        } else {
            next = shard + 1 < store.shards() ? (shard + 1) + ":" : null;
        }
        return new Page(ids, next, page.members().size());
    }

    /**
     * The ids of the members the segment holds, in order: decided on the profile where it can be, and the summaries read
     * (many to a request) only for those it cannot.
     */
    static List<String> matching(AudienceStore store, Segment segment, List<Member> members, Instant now) {
        Boolean[] decided = new Boolean[members.size()];
        List<String> undecided = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            decided[i] = segment.decide(members.get(i), now);
            if (decided[i] == null) {
                undecided.add(members.get(i).contact().id());
            }
        }
        java.util.Map<String, dev.tandem.audience.Engagement> summaries = undecided.isEmpty() ? java.util.Map.of()
                : store.engagement(undecided);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            boolean in = decided[i] != null ? decided[i]
                    : segment.matches(m.with(summaries.getOrDefault(m.contact().id(), dev.tandem.audience.Engagement.NONE)), now);
            if (in) {
                ids.add(m.contact().id());
            }
        }
        return ids;
    }

    /** How many contacts the segment holds now: every shard read in parallel, a page at a time. */
    static long count(AudienceStore store, Segment segment, Instant now, ExecutorService pool, int pageSize) {
        List<Callable<Long>> shards = new ArrayList<>();
        for (int s = 0; s < store.shards(); s++) {
            int shard = s;
            shards.add(() -> {
                long n = 0;
                String cursor = null;
                do {
                    AudienceStore.MemberPage page = store.members(shard, cursor, pageSize);
                    n += matching(store, segment, page.members(), now).size();
                    cursor = page.next();
                } while (cursor != null);
                return n;
            });
        }
        long total = 0;
        for (long n : Parallel.all(pool, shards)) {
            total += n;
        }
        return total;
    }
}
