package dev.tandem.aws.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Every key of the single table, built here and nowhere else.
 *
 * <pre>
 * PK                  SK                                   item
 * C#{contact}         PROFILE                              the profile (GSI1: AUD#{shard} / {contact})
 * C#{contact}         PROFILE#SEND                         the send guard: its sequence and the send begun last
 * C#{contact}         EVT#{time}#{eventId}                 a timeline event, time-ordered
 * C#{contact}         EID#{eventId}                        idempotency guard of an event posted by an upstream system
 * C#{contact}         RUN#{campaign}#{occurrence}          a contact's run of a campaign (GSI1: DUE#{shard} / {dueAt}#...)
 * C#{contact}         SUMMARY                              the engagement summary segments read, by key (no index: a write per event)
 * C#{contact}         ENTRY#{campaign}                     the contact's last entry into a recurring campaign's occurrences
 * C#{contact}         CONSENT#{time}#{channel}#{status}#{source}  a line of the consent history (no expiry: kept as long as the contact)
 * EMAIL#{address}     LOOKUP                               email address to contact
 * PHONE#{e164}        LOOKUP                               phone number to contact
 * MSG#{messageId}     LOOKUP                               provider message id to contact, campaign and step
 * MSG#{messageId}     TEST                                 the provider message id of a test send, for as long as events
 * TESTSEND#{testId}  TEST                                 a test send's caller-given id, taken before it goes, for a day
 * CAMPAIGN#{id}       DEF                                  a campaign definition (GSI1: CAMPAIGNS / {id}, to list them)
 * CAMPAIGN#{id}       STATS#{shard}                        per-campaign counters (totals, and per step: step/{step}/...), sharded against hot keys
 * CAMPAIGN#{id}       SERIES#{yyyy-MM-ddTHH}#{shard}       per-campaign counters of one UTC hour
 * CAMPAIGN#{id}       LAUNCH#{launchId}                    a launch and its audience cursor (GSI1: DUE#{shard} while due)
 * TEMPLATE#{id}       DEF                                  a message template
 * SEGMENT#{id}        DEF                                  a segment definition
 * CONFIG              POLICY                               the contact policy
 * RATE#{channel}      {epochSecond}                        the sending rate's tokens taken of that second, for a few minutes
 * LINK#{code}, VIEW#{code}, UNSUB#{code}   LOOKUP          a short link, an email's web version, a one-click unsubscribe
 * UNMATCHED#{day}     {time}#{id}                          a notification no contact matched, with its reason, for 30 days
 *                                                          (GSI1: UNM#{EMAIL#a | PHONE#n | C#id} / {time}#{id}, what it names)
 * IMPORT#{bucket}/{key}  UPLOAD#{sequencer}                how far the import of one upload of a file got, and its lease, for 30 days
 * </pre>
 *
 * Descending from {@code PROFILE#SEND} to {@code EVT#{since}} reads the send guard, the profile and the newest events
 * in one query.
 */
public final class Keys {
    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String TYPE = "type";
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "GSI1PK";
    public static final String GSI1SK = "GSI1SK";
    public static final String EXPIRES_AT = "expiresAt";

    public static final String PROFILE = "PROFILE";
    public static final String LOOKUP = "LOOKUP";
    /** The sort key of a test send's message id, under its {@link #message} key. */
    public static final String TEST = "TEST";
    /** Sorts right after {@link #PROFILE} and before every {@code RUN#}: one query reads both. */
    public static final String SEND_GUARD = "PROFILE#SEND";
    static final String EVENT_PREFIX = "EVT#";
    static final String GUARD_PREFIX = "EID#";
    static final String RUN_PREFIX = "RUN#";

    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Keys() {
    }

    public static String contact(String contactId) {
        return "C#" + contactId;
    }

    public static String event(Instant at, String eventId) {
        return EVENT_PREFIX + time(at) + "#" + eventId;
    }

    /** The lowest event key at or after an instant. */
    public static String eventsSince(Instant since) {
        return EVENT_PREFIX + time(since);
    }

    /** A key above every event key. */
    public static String eventsEnd() {
        return EVENT_PREFIX + "~";
    }

    /** A contact's run of a campaign: one per launch, click or reply that started it. */
    static final String CONSENT_PREFIX = "CONSENT#";

    /** A consent history line's key: time-ordered, the same each time the same change is written. */
    public static String consent(dev.tandem.contact.ConsentEntry e) {
        return CONSENT_PREFIX + time(e.at()) + "#" + e.key();
    }

    /** A test send's caller-given id, taken before it goes (with {@link #TEST}). */
    public static String testSend(String testId) {
        return "TESTSEND#" + testId;
    }

    public static String run(String campaign, String occurrence) {
        return RUN_PREFIX + campaign + "#" + occurrence;
    }

    /** The due-work index partition a contact's runs list under. */
    public static String due(String contactId, int shards) {
        return "DUE#" + shard(contactId, shards);
    }

    public static String dueShard(int shard) {
        return "DUE#" + shard;
    }

    /** The due-work sort key: time first, so a sweep reads only what is due. */
    public static String dueSort(Instant dueAt, String contactId, String campaign, String occurrence) {
        return time(dueAt) + "#" + contactId + "#" + campaign + "#" + occurrence;
    }

    /** The upper bound of due sort keys at an instant. */
    public static String dueUntil(Instant now) {
        return time(now) + "#\uffff";
    }

    public static String campaign(String campaignId) {
        return "CAMPAIGN#" + campaignId;
    }

    public static String stats(String contactId, int shards) {
        return STATS_PREFIX + shard(contactId, shards);
    }

    /** Every hourly counters item's sort key begins with this: SERIES#{yyyy-MM-ddTHH}#{shard}. */
    public static final String SERIES_PREFIX = "SERIES#";


    public static final String DEF = "DEF";
    /** The GSI1 partition every campaign definition lists under. */
    public static final String CAMPAIGNS = "CAMPAIGNS";

    public static String template(String templateId) {
        return "TEMPLATE#" + templateId;
    }

    public static String launch(String launchId) {
        return "LAUNCH#" + launchId;
    }

    /** The contact policy's sort key, under {@link #config()}. */
    public static final String POLICY = "POLICY";
    /** Every stats shard's sort key begins with this. */
    public static final String STATS_PREFIX = "STATS#";

    public static String config() {
        return "CONFIG";
    }

    public static String code(String kind, String code) {
        return switch (kind) {
            case "link" -> "LINK#" + code;
            case "view" -> "VIEW#" + code;
            case "unsubscribe" -> "UNSUB#" + code;
            default -> throw new IllegalArgumentException("unknown code kind " + kind);
        };
    }

    /** The partition of a channel's rate tokens: one item per second. */
    public static String rate(String channel) {
        return "RATE#" + channel;
    }

    public static String second(long epochSecond) {
        return Long.toString(epochSecond);
    }

    public static String unmatched(Instant at) {
        return "UNMATCHED#" + time(at).substring(0, 10);
    }

    /** The GSI1 partition of the unmatched notifications that name an address, a number or a contact (its own key). */
    public static String unmatchedNaming(String namedKey) {
        return "UNM#" + namedKey;
    }

    /** The partition of a file's imports: one item per upload of it. */
    public static String importFile(String bucket, String key) {
        return "IMPORT#" + bucket + "/" + key;
    }

    /** One upload of a file, told apart by its S3 event's sequencer. */
    public static String importUpload(String version) {
        return "UPLOAD#" + version;
    }

    public static String guard(String eventId) {
        return GUARD_PREFIX + eventId;
    }

    public static String email(String address) {
        return "EMAIL#" + address.toLowerCase(Locale.ROOT);
    }

    public static String phone(String e164) {
        return "PHONE#" + e164;
    }

    public static String message(String messageId) {
        return "MSG#" + messageId;
    }

    /** The audience shard a profile lists under, so launching to every contact reads shards, not the table. */
    public static String audience(String contactId, int shards) {
        return audienceShard(shard(contactId, shards));
    }

    public static String audienceShard(int shard) {
        return "AUD#" + shard;
    }

    /** The sort key of a contact's engagement summary. */
    public static final String SUMMARY = "SUMMARY";

    public static String segment(String segmentId) {
        return "SEGMENT#" + segmentId;
    }

    /** A contact's entry into a recurring campaign, under the contact's partition. */
    public static String entry(String campaign) {
        return "ENTRY#" + campaign;
    }

    public static int shard(String id, int shards) {
        return Math.floorMod(id.hashCode(), shards);
    }

    /** Fixed-width UTC time, so string order is time order. */
    public static String time(Instant at) {
        return SORTABLE.format(at);
    }

    public static boolean isEvent(String sk) {
        return sk.startsWith(EVENT_PREFIX);
    }

    public static String contactIdOf(String pk) {
        if (!pk.startsWith("C#")) {
            throw new IllegalArgumentException("not a contact key: " + pk);
        }
        return pk.substring(2);
    }
}
