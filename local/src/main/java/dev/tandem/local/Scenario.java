package dev.tandem.local;

import dev.tandem.aws.Json;
import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.LinkMaker;
import dev.tandem.timeline.EventType;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario file (docs/scenarios.md), read and checked whole before anything runs: every time, zone,
 * template, campaign, contact and event, each error naming its field.
 */
public record Scenario(Instant start, Instant until, Duration tick, Map<String, Object> policy,
                       Map<String, Object> templates, List<Map<String, Object>> contacts,
                       List<CampaignSpec> campaigns, List<Event> events, Map<String, Object> segments) {

    public static final String LINK_BASE = "https://tandem.example.com";
    private static final Set<String> FIELDS = Set.of("start", "until", "tick", "policy", "templates", "contacts",
            "campaigns", "events", "description", "segments");
    private static final Set<String> EVENT_TYPES = Set.of("email.delivered", "email.open", "email.click", "email.bounce",
            "email.complaint", "email.unsubscribe", "sms.reply", "sms.click", "sms.delivered", "sms.failed", "sms.opt_out",
            "sms.opt_in", "conversion");
    private static final Set<String> EVENT_FIELDS = Set.of("at", "contact", "type", "userAgent", "ip", "link", "bounceType",
            "text", "value");

    /** A campaign, its launch time and its audience (default: every contact). */
    public record CampaignSpec(String id, Map<String, Object> definition, Instant start, Object audience) {
    }

    /** An event of the scenario, ingested at its own time through the real ingestion path. */
    public record Event(int index, Instant at, String contact, String type, Map<String, Object> fields) {
        public String field(String name) {
            Object v = fields.get(name);
            return v == null ? null : String.valueOf(v);
        }
    }

    /** A scenario that cannot run: the field and what is wrong with it. */
    public static final class Invalid extends RuntimeException {
        private final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new Invalid("", "cannot read " + file + ": " + e.getMessage());
        }
        try {
            return from(Json.read(text, ""));
        } catch (InvalidInputException e) {
            throw new Invalid(e.field(), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public static Scenario from(Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new InvalidInputException("", "a scenario is a JSON object");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException(String.valueOf(k), "unknown scenario field " + k);
            }
        }
        Instant start = Checks.instant("start", string(m, "start"));
        Instant until = Checks.instant("until", string(m, "until"));
        if (!until.isAfter(start)) {
            throw new InvalidInputException("until", "until must be after start");
        }
        Duration tick = m.get("tick") == null ? Duration.ofMinutes(15) : Checks.duration("tick", string(m, "tick"));
        if (tick.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidInputException("tick", "tick must be at least PT1M, like the recurring schedule");
        }
        if (Duration.between(start, until).dividedBy(tick) > 20_000) {
            throw new InvalidInputException("tick", "from start to until is more than 20000 ticks");
        }
        ContactPolicy policy;
        try {
            policy = ContactPolicy.from(m.get("policy"));
        } catch (InvalidInputException e) {
            throw e;
        }
        Map<String, Object> templates = new LinkedHashMap<>();
        Map<String, MessageTemplate> parsed = new LinkedHashMap<>();
        Object ts = m.get("templates");
        if (!(ts instanceof Map<?, ?> tmap) || tmap.isEmpty()) {
            throw new InvalidInputException("templates", "templates must be an object of templates by id");
        }
        for (Map.Entry<?, ?> e : tmap.entrySet()) {
            String id = String.valueOf(e.getKey());
            try {
                parsed.put(id, MessageTemplate.from(id, e.getValue()));
            } catch (InvalidInputException ex) {
                throw ex.under("templates." + id);
            }
            templates.put(id, e.getValue());
        }
        List<Map<String, Object>> contacts = new ArrayList<>();
        Set<String> contactIds = new LinkedHashSet<>();
        Object cs = m.get("contacts");
        if (!(cs instanceof List<?> clist) || clist.isEmpty()) {
            throw new InvalidInputException("contacts", "contacts must be a non-empty array");
        }
        for (int i = 0; i < clist.size(); i++) {
            String field = "contacts[" + i + "]";
            if (!(clist.get(i) instanceof Map<?, ?> c)) {
                throw new InvalidInputException(field, field + " must be an object");
            }
            Object id = c.get("id");
            if (!(id instanceof String sid)) {
                throw new InvalidInputException(field + ".id", field + ".id is required");
            }
            try {
                Checks.id("id", sid);
                Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) c);
                body.remove("id");
                ContactDraft.from(sid, body, "scenario", start);
            } catch (InvalidInputException ex) {
                throw ex.under(field);
            }
            if (!contactIds.add(sid)) {
                throw new InvalidInputException(field + ".id", "contact " + sid + " appears twice");
            }
            contacts.add((Map<String, Object>) c);
        }
        Map<String, Object> segments = new LinkedHashMap<>();
        Object segs = m.get("segments");
        if (segs != null) {
            if (!(segs instanceof Map<?, ?> sm)) {
                throw new InvalidInputException("segments", "segments must be an object of segments by id, each {\"where\": CONDITION}");
            }
            sm.forEach((k, v) -> {
                try {
                    dev.tandem.audience.Segment.from(String.valueOf(k), v);
                } catch (InvalidInputException ex) {
                    throw ex.under("segments." + k);
                }
                segments.put(String.valueOf(k), v);
            });
        }
        List<CampaignSpec> campaigns = new ArrayList<>();
        Object cps = m.get("campaigns");
        if (!(cps instanceof List<?> plist) || plist.isEmpty()) {
            throw new InvalidInputException("campaigns", "campaigns must be a non-empty array");
        }
        Set<String> campaignIds = new LinkedHashSet<>();
        for (int i = 0; i < plist.size(); i++) {
            String field = "campaigns[" + i + "]";
            if (!(plist.get(i) instanceof Map<?, ?> c)) {
                throw new InvalidInputException(field, field + " must be an object");
            }
            Map<String, Object> def = new LinkedHashMap<>((Map<String, Object>) c);
            Object id = def.remove("id");
            if (!(id instanceof String sid)) {
                throw new InvalidInputException(field + ".id", field + ".id is required");
            }
            if (!campaignIds.add(sid)) {
                throw new InvalidInputException(field + ".id", "campaign " + sid + " appears twice");
            }
            Object startRaw = def.remove("start");
            Object audienceRaw = def.remove("audience");
            Instant cStart = startRaw == null ? start : Checks.instant(field + ".start", String.valueOf(startRaw));
            if (cStart.isBefore(start) || cStart.isAfter(until)) {
                throw new InvalidInputException(field + ".start", field + ".start must fall between the scenario's start and until");
            }
            Object audience = null;
            if (audienceRaw instanceof Map<?, ?> seg) {
                Object sid2 = seg.get("segment");
                if (seg.size() != 1 || !(sid2 instanceof String name) || !segments.containsKey(name)) {
                    throw new InvalidInputException(field + ".audience.segment", field + ".audience names a segment of the scenario's segments: {\"segment\": ID}");
                }
                audience = Map.of("segment", name);
            } else if (audienceRaw != null && !"all".equals(audienceRaw)) {
                if (!(audienceRaw instanceof List<?> al) || al.isEmpty()) {
                    throw new InvalidInputException(field + ".audience", field + ".audience is \"all\" or an array of contact ids");
                }
                List<String> ids = new ArrayList<>();
                for (int j = 0; j < al.size(); j++) {
                    String cid = String.valueOf(al.get(j));
                    if (!contactIds.contains(cid)) {
                        throw new InvalidInputException(field + ".audience[" + j + "]", "unknown contact " + cid);
                    }
                    ids.add(cid);
                }
                audience = ids;
            }
            try {
                Campaign.from(sid, def, parsed::get, policy, LinkMaker.lengthFor(LINK_BASE));
            } catch (InvalidInputException ex) {
                throw ex.under(field);
            }
            campaigns.add(new CampaignSpec(sid, def, cStart, audience));
        }
        List<Event> events = new ArrayList<>();
        Object es = m.get("events");
        if (es != null) {
            if (!(es instanceof List<?> elist)) {
                throw new InvalidInputException("events", "events must be an array");
            }
            for (int i = 0; i < elist.size(); i++) {
                String field = "events[" + i + "]";
                if (!(elist.get(i) instanceof Map<?, ?> e)) {
                    throw new InvalidInputException(field, field + " must be an object");
                }
                for (Object k : e.keySet()) {
                    if (!EVENT_FIELDS.contains(String.valueOf(k))) {
                        throw new InvalidInputException(field + "." + k, "unknown event field " + k);
                    }
                }
                Instant at = Checks.instant(field + ".at", e.get("at") == null ? null : String.valueOf(e.get("at")));
                if (at.isBefore(start) || at.isAfter(until)) {
                    throw new InvalidInputException(field + ".at", field + ".at must fall between the scenario's start and until");
                }
                String contact = e.get("contact") == null ? null : String.valueOf(e.get("contact"));
                if (contact == null || !contactIds.contains(contact)) {
                    throw new InvalidInputException(field + ".contact", "unknown contact " + contact);
                }
                String type = e.get("type") == null ? null : String.valueOf(e.get("type"));
                boolean custom = type != null && EventType.of(type).filter(t -> t == EventType.CUSTOM).isPresent();
                if (type == null || !(EVENT_TYPES.contains(type) || custom)) {
                    throw new InvalidInputException(field + ".type", "unknown event type " + type + "; use one of "
                            + String.join(", ", new java.util.TreeSet<>(EVENT_TYPES)) + " or custom.<name>");
                }
                if (type.equals("sms.reply") && !(e.get("text") instanceof String)) {
                    throw new InvalidInputException(field + ".text", "an sms.reply needs its text");
                }
                if (e.get("bounceType") != null && !Set.of("Permanent", "Transient", "Undetermined").contains(String.valueOf(e.get("bounceType")))) {
                    throw new InvalidInputException(field + ".bounceType", "bounceType is Permanent, Transient or Undetermined");
                }
                events.add(new Event(i, at, contact, type, (Map<String, Object>) e));
            }
        }
        events.sort(Comparator.comparing(Event::at).thenComparing(Event::index));
        return new Scenario(start, until, tick, m.get("policy") == null ? null : (Map<String, Object>) m.get("policy"),
                templates, contacts, campaigns, events, segments);
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
