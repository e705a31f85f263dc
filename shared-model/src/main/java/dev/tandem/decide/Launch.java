package dev.tandem.decide;

import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A campaign's launch to an audience (every contact, the ids given, or a segment's members), now or at a time. A local
 * time ({@code "2026-12-02T09:00"}) reads in the campaign's zone ({@code timezone}) or, with
 * {@code "timezone": "contact"}, in each contact's own zone.
 *
 * <p>A recurring campaign's launch is a {@code recurrence}: it enrols no one itself. When its time comes it starts an
 * occurrence (a launch whose {@code parent} is the recurrence's id, enrolling those who may enter) and moves on to the
 * next time; {@code at} and {@code localAt} are always the next occurrence's.
 */
public record Launch(String campaign, String launchId, Instant at, LocalDateTime localAt, String zone,
                     List<String> audience, String cursor, long version, String segment, String parent,
                     boolean recurrence) {
    public static final String CONTACT_ZONE = "contact";
    public static final int MAX_AUDIENCE = 1000;
    /** The earliest offset on Earth: a local-time launch starts enrolling when its time comes there. */
    public static final ZoneId EARLIEST = ZoneId.of("Pacific/Kiritimati");
    private static final Set<String> FIELDS = Set.of("at", "timezone", "audience", "launchId");

    public Launch {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(launchId, "launchId");
        Objects.requireNonNull(at, "at");
        audience = audience == null ? null : List.copyOf(audience);
    }

    public Launch(String campaign, String launchId, Instant at, LocalDateTime localAt, String zone,
                  List<String> audience, String cursor, long version) {
        this(campaign, launchId, at, localAt, zone, audience, cursor, version, null, null, false);
    }

    /** Every contact, or a segment's members: the audience is read from the store page by page. */
    public boolean everyone() {
        return audience == null;
    }

    /** An occurrence of a recurring campaign: a contact enters it only when the campaign's re-entry rule allows. */
    public boolean occurrence() {
        return parent != null;
    }

    public boolean perContactZone() {
        return CONTACT_ZONE.equals(zone);
    }

    /** When the first step of a contact's run is due. */
    public Instant dueFor(ZoneId contactZone) {
        if (localAt == null) {
            return at;
        }
        return dev.tandem.campaign.QuietHours.firstInstantOf(localAt, perContactZone() ? contactZone : ZoneId.of(zone));
    }

    public Launch withCursor(String next) {
        return new Launch(campaign, launchId, at, localAt, zone, audience, next, version, segment, parent, recurrence);
    }

    /** The same launch at its next version, read from {@code cursor} on. */
    public Launch advanced(String next) {
        return new Launch(campaign, launchId, at, localAt, zone, audience, next, version + 1, segment, parent, recurrence);
    }

    /** This launch as a recurring campaign's recurrence, first due at {@code first}. */
    public Launch asRecurrence(dev.tandem.campaign.Recurrence r, dev.tandem.campaign.Recurrence.Occurrence first) {
        return new Launch(campaign, launchId, first.at(), first.local(), first.local() == null ? null : r.zone() == null ? "UTC" : r.zone(),
                audience, null, version, segment, null, true);
    }

    /** The occurrence this recurrence starts now: its own launch, enrolling from the start. */
    public Launch occurrenceNow() {
        String stamp = localAt != null ? localAt.toString().replace(":", "").replace("-", "")
                : Long.toString(at.getEpochSecond());
        return new Launch(campaign, launchId + "." + stamp, at, localAt, zone, audience, null, -1, segment, launchId, false);
    }

    /** Reads a launch request body; {@code id} is a fresh launch id unless the body names one. */
    /** How far ahead a launch can be scheduled. */
    public static final java.time.Duration MAX_AHEAD = java.time.Duration.ofDays(366);

    public static Launch from(String campaign, Object body, String id, Instant now) {
        Map<?, ?> m = body == null ? Map.of() : body instanceof Map<?, ?> map ? map : null;
        if (m == null) {
            throw new InvalidInputException("", "a launch body must be an object");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException(String.valueOf(k), "unknown launch field " + k);
            }
        }
        String launchId = m.get("launchId") == null ? id : Checks.id("launchId", String.valueOf(m.get("launchId")));
        String zone = m.get("timezone") == null ? null : String.valueOf(m.get("timezone"));
        if (zone != null && !CONTACT_ZONE.equals(zone)) {
            zone = Checks.zone("timezone", zone).getId();
        }
        Instant at = now;
        LocalDateTime local = null;
        Object atRaw = m.get("at");
        if (atRaw != null) {
            String text = String.valueOf(atRaw);
            if (zone == null) {
                at = Checks.instant("at", text);
            } else {
                try {
                    local = LocalDateTime.parse(text);
                } catch (DateTimeParseException e) {
                    throw new InvalidInputException("at", "with a timezone, at is a local time such as 2026-12-02T09:00");
                }
                at = dev.tandem.campaign.QuietHours.firstInstantOf(local, CONTACT_ZONE.equals(zone) ? EARLIEST : ZoneId.of(zone));
            }
        } else if (zone != null) {
            throw new InvalidInputException("at", "a timezone needs a local time in at");
        }
        if (at.isAfter(now.plus(MAX_AHEAD)) || at.isBefore(java.time.Instant.EPOCH)) {
            throw new InvalidInputException("at", "at must be after 1970 and within " + MAX_AHEAD.toDays() + " days from now");
        }
        List<String> audience = null;
        String segment = null;
        Object a = m.get("audience");
        if (a instanceof Map<?, ?> seg) {
            for (Object k : seg.keySet()) {
                if (!"segment".equals(k)) {
                    throw new InvalidInputException("audience." + k, "an audience object names a segment: {\"segment\": \"gold-ca\"}");
                }
            }
            segment = Checks.id("audience.segment", Checks.string(seg, "segment", "audience.segment"));
        } else if (a != null && !"all".equals(a)) {
            if (!(a instanceof List<?> l) || l.isEmpty()) {
                throw new InvalidInputException("audience", "audience is \"all\", a non-empty array of contact ids or {\"segment\": ID}");
            }
            if (l.size() > MAX_AUDIENCE) {
                throw new InvalidInputException("audience", "an audience list holds at most " + MAX_AUDIENCE + " ids; launch to \"all\" for more");
            }
            audience = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                audience.add(Checks.id("audience[" + i + "]", l.get(i) == null ? null : String.valueOf(l.get(i))));
            }
        }
        return new Launch(campaign, launchId, at, local, zone, audience, null, -1, segment, null, false);
    }
}
