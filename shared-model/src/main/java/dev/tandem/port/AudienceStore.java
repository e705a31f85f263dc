package dev.tandem.port;

import dev.tandem.audience.Member;
import dev.tandem.audience.Segment;

import java.util.List;
import java.util.Optional;

/**
 * Where audiences are read from: every contact, shard by shard in id order, and the engagement summaries of those a
 * segment cannot decide on the profile alone, so that no segment reads a timeline. And where segment definitions are
 * kept.
 */
public interface AudienceStore {

    /** How many audience shards there are; each can be read on its own, in parallel with the others. */
    int shards();

    /**
     * Up to {@code limit} contacts of one shard after {@code cursor} (null: from the start), in id order, read without
     * their summaries; {@code next} is null at the shard's end.
     */
    MemberPage members(int shard, String cursor, int limit);

    /** The engagement summaries of these contacts, by id; a contact with none is absent. */
    java.util.Map<String, dev.tandem.audience.Engagement> engagement(java.util.Collection<String> contactIds);

    record MemberPage(List<Member> members, String next) {
    }

    void putSegment(Segment segment);

    /** A stored segment as it was accepted. */
    Optional<Segment> segment(String id);
}
