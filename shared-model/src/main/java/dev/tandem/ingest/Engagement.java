package dev.tandem.ingest;

import dev.tandem.timeline.TimelineEvent;

import java.util.List;
import java.util.Objects;

/**
 * Everything one notification writes for one contact, in one request: the event, the profile change it
 * causes, the work it leaves for the decider, and the lookup of a message id it introduces.
 * {@code guarded} asks for idempotency on the event id alone, for sources whose time is not stable.
 * {@code contactVerified} says a read already found the contact; when false (a contact named by a message
 * tag, with no read), the write itself checks that the contact exists.
 */
public record Engagement(TimelineEvent event, ProfileChange change, List<TriggerWork> work, SentMessage lookup,
                         boolean guarded, boolean contactVerified) {
    public Engagement {
        Objects.requireNonNull(event, "event");
        work = work == null ? List.of() : List.copyOf(work);
    }

    /** An event for a contact a lookup found. */
    public static Engagement of(TimelineEvent event) {
        return new Engagement(event, null, List.of(), null, false, true);
    }
}
