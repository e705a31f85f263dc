package dev.tandem.port;

import dev.tandem.ingest.Engagement;
import dev.tandem.ingest.SentMessage;
import dev.tandem.ingest.Unmatched;

import java.time.Instant;
import java.util.Optional;

/** What ingestion needs of the store: lookups, one write per engagement, and a place for the unmatched. */
public interface EngagementStore {

    Optional<String> contactByEmail(String email);

    Optional<String> contactByPhone(String phone);

    Optional<SentMessage> sentMessage(String messageId);

    /** The profile and its newest events since an instant: one read. */
    Optional<ContactStore.ContactView> view(String contactId, Instant since, int newest);

    /** Writes an engagement in one request, idempotent on its event: a second copy adds nothing. */
    Recorded record(Engagement engagement);

    /** Keeps a notification no contact matched; keeping the same one twice keeps it once. */
    void keepUnmatched(Unmatched unmatched);

    enum Recorded { ADDED, DUPLICATE, NO_CONTACT }
}
