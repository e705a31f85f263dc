package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Consent;
import dev.tandem.decide.DecisionLine;
import dev.tandem.decide.Launch;
import dev.tandem.decide.LinkMaker;
import dev.tandem.ingest.EventIds;
import dev.tandem.ingest.Engagement;
import dev.tandem.ingest.ProfileChange;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.EngagementStore;
import dev.tandem.port.Schedules;
import dev.tandem.report.CampaignReport;
import dev.tandem.report.Stats;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.Checks;
import dev.tandem.validation.NotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The campaign routes' use cases: definitions, launch, preview, stats and report, and the codes messages carry. */
public final class CampaignService {
    public static final int MAX_PREVIEW = 100;
    /** A launch this close to now goes to the next recurring sweep rather than a schedule of its own. */
    static final Duration SCHEDULE_AFTER = Duration.ofMinutes(1);

    private final CampaignStore campaigns;
    private final DecisionStore decisions;
    private final EngagementStore engagements;
    private final Schedules schedules;
    private final Sweep preview;

    public CampaignService(CampaignStore campaigns, DecisionStore decisions, EngagementStore engagements,
                           Schedules schedules, Sweep preview) {
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.engagements = Objects.requireNonNull(engagements, "engagements");
        this.schedules = Objects.requireNonNull(schedules, "schedules");
        this.preview = Objects.requireNonNull(preview, "preview");
    }

    /**
     * Stores a template, unless the change would make a stored campaign that sends it invalid (an SMS that no longer
     * fits the policy's segments, a channel that no longer matches): then 409, naming those campaigns.
     */
    public MessageTemplate putTemplate(String id, Object body, String publicBaseUrl) {
        MessageTemplate t = MessageTemplate.from(id, body);
        refuseIfInvalidating(withOptIn(campaigns.campaigns(), campaigns.policy()).stream().filter(c -> c.templateIds().contains(id)).toList(),
                tid -> tid.equals(id) ? t : campaigns.template(tid).orElse(null), campaigns.policy(), publicBaseUrl,
                "body", "template " + id);
        campaigns.putTemplate(t);
        return t;
    }

    public MessageTemplate template(String id) {
        Checks.id("id", id);
        return campaigns.template(id).orElseThrow(() -> new NotFoundException("id", "no template " + id));
    }

    /**
     * Stores a campaign. When its {@code recurring} changed, the schedules of its running recurrences change with it: a
     * campaign that no longer recurs has them deleted (its recurrences end at their next time), and a new rhythm replaces
     * them.
     */
    public Campaign putCampaign(String id, Object body, String publicBaseUrl) {
        Campaign c = Campaign.from(id, body, t -> campaigns.template(t).orElse(null), campaigns.policy(),
                LinkMaker.lengthFor(publicBaseUrl));
        Optional<Campaign> before = campaigns.campaign(id);
        if (before.isPresent() && !java.util.Objects.equals(before.get().experiment(), c.experiment()) && campaigns.launched(id)) {
            // Contacts enrolled before would be counted in groups that mean something else: a new experiment is a new
            // campaign (its groups and counters are keyed by the campaign).
            throw new dev.tandem.validation.ConflictException("experiment", "campaign " + id
                    + " was launched: its experiment cannot be added, changed or removed; make a new campaign for a new experiment");
        }
        campaigns.putCampaign(c);
        if (before.isPresent() && before.get().recurring() != null && !before.get().recurring().equals(c.recurring())) {
            for (Launch r : campaigns.recurrences(id)) {
                schedules.cancel(r);
                if (c.recurring() != null) {
                    schedules.recurring(r, c.recurring());
                }
            }
        }
        return c;
    }

    /** A stored campaign as it was accepted: a later policy or template change never makes reading it fail. */
    public Campaign campaign(String id) {
        Checks.id("id", id);
        return campaigns.campaign(id).orElseThrow(() -> new NotFoundException("id", "no campaign " + id));
    }

    /** Stores the policy, unless it would make a stored campaign invalid: then 409, naming those campaigns. */
    public ContactPolicy putPolicy(Object body, String publicBaseUrl) {
        ContactPolicy p = ContactPolicy.from(body);
        Map<String, MessageTemplate> read = new java.util.HashMap<>();
        if (p.smsOptInTemplate() != null) {
            try {
                Campaign.smsOptIn(p.smsOptInTemplate()).check(tid -> campaigns.template(tid).orElse(null), p,
                        LinkMaker.lengthFor(publicBaseUrl));
            } catch (dev.tandem.validation.InvalidInputException e) {
                throw new dev.tandem.validation.InvalidInputException("policy.smsOptInTemplate",
                        "policy.smsOptInTemplate: " + e.getMessage());
            }
        }
        refuseIfInvalidating(campaigns.campaigns(), tid -> read.computeIfAbsent(tid, k -> campaigns.template(k).orElse(null)),
                p, publicBaseUrl, "policy", "this policy");
        campaigns.putPolicy(p);
        return p;
    }

    /** The stored campaigns and, when the policy names an opt-in template, the campaign that sends it. */
    private static List<Campaign> withOptIn(List<Campaign> stored, ContactPolicy policy) {
        if (policy.smsOptInTemplate() == null) {
            return stored;
        }
        List<Campaign> all = new java.util.ArrayList<>(stored);
        all.add(Campaign.smsOptIn(policy.smsOptInTemplate()));
        return all;
    }

    private static void refuseIfInvalidating(List<Campaign> affected, java.util.function.Function<String, MessageTemplate> templates,
                                             ContactPolicy policy, String publicBaseUrl, String field, String what) {
        List<String> broken = new java.util.ArrayList<>();
        String first = null;
        String named = field;
        for (Campaign c : affected) {
            try {
                c.check(templates, policy, LinkMaker.lengthFor(publicBaseUrl));
            } catch (dev.tandem.validation.InvalidInputException e) {
                broken.add(c.id());
                if (first == null) {
                    first = c.id() + ": " + e.getMessage();
                    // A template's locale that no longer fits is named as the template's field (locales.fr.body).
                    named = field.equals("body") && e.field() != null && e.field().startsWith("locales.") ? e.field() : field;
                }
            }
        }
        if (!broken.isEmpty()) {
            throw new dev.tandem.validation.ConflictException(named, what + " would make " + (broken.size() == 1 ? "campaign " : "campaigns ")
                    + String.join(", ", broken) + " invalid (" + first + "); change those campaigns first");
        }
    }

    public ContactPolicy policy() {
        return campaigns.policy();
    }

    /** Stores a launch; a launch later than a minute from now also gets its own one-time schedule. */
    public record Launched(Launch launch, String schedule) {
    }

    /**
     * Stores a launch. A recurring campaign's launch is its recurrence: it gets a recurring schedule, and each occurrence
     * enrols the audience again. A segment named must exist.
     */
    public Launched launch(String campaignId, Object body, String newId, Instant now) {
        Campaign c = campaign(campaignId);
        Launch l = Launch.from(campaignId, body, newId, now);
        if (l.segment() != null && decisions.segment(l.segment()).isEmpty()) {
            throw new dev.tandem.validation.InvalidInputException("audience.segment", "no segment " + l.segment());
        }
        if (c.recurring() != null) {
            if (l.zone() != null) {
                throw new dev.tandem.validation.InvalidInputException("timezone",
                        "a recurring campaign's times come from its recurring field; at alone says when it starts");
            }
            dev.tandem.campaign.Recurrence.Occurrence first = c.recurring().first(l.at());
            if (c.recurring().until() != null && first.at().isAfter(c.recurring().until())) {
                throw new dev.tandem.validation.InvalidInputException("recurring.until",
                        "the campaign's recurring.until comes before its first occurrence (" + first.at() + ")");
            }
            l = campaigns.createLaunch(l.asRecurrence(c.recurring(), first), now);
            return new Launched(l, schedules.recurring(l, c.recurring()));
        }
        l = campaigns.createLaunch(l, now);
        String schedule = l.at().isAfter(now.plus(SCHEDULE_AFTER)) ? schedules.launchAt(l) : null;
        return new Launched(l, schedule);
    }

    public List<DecisionLine> preview(String campaignId, Object body, Instant now) {
        Campaign c = campaign(campaignId);
        Launch l = Launch.from(campaignId, body == null ? Map.of() : body, "preview", now);
        List<String> ids;
        if (l.segment() != null) {
            dev.tandem.audience.Segment s = decisions.segment(l.segment()).orElseThrow(
                    () -> new dev.tandem.validation.InvalidInputException("audience.segment", "no segment " + l.segment()));
            ids = new java.util.ArrayList<>();
            String cursor = null;
            int read = 0;
            do {
                Audiences.Page p = Audiences.page(decisions, s, cursor, MAX_PREVIEW, l.at());
                ids.addAll(p.ids().subList(0, Math.min(p.ids().size(), MAX_PREVIEW - ids.size())));
                read += p.read();
                cursor = p.next();
            } while (cursor != null && ids.size() < MAX_PREVIEW && read < SegmentService.READ_BUDGET);
        } else {
            ids = l.everyone() ? decisions.audience(l, MAX_PREVIEW).contactIds()
                    : l.audience().subList(0, Math.min(MAX_PREVIEW, l.audience().size()));
        }
        return preview.preview(c, ids, l.at());
    }

    /** Per channel: sent, delivered, opens, clicks, replies, failures; deferred and skipped by reason; and conversions. */
    public Map<String, Object> stats(String campaignId) {
        Campaign c = counted(campaignId);
        Map<String, Long> raw = campaigns.stats(campaignId);
        Map<String, Object> out = new LinkedHashMap<>(Stats.of(raw));
        out.putAll(dev.tandem.experiment.Reading.of(c.experiment(), c.goal(), raw));
        return out;
    }

    /** A campaign whose counters can be read: a stored one, or the one that sends double opt-in confirmations. */
    private Campaign counted(String campaignId) {
        return Campaign.SMS_OPT_IN.equals(campaignId) ? Campaign.smsOptIn(campaigns.policy().smsOptInTemplate()) : campaign(campaignId);
    }

    /** {@code GET /campaigns/{id}/report}: the funnels, reasons and activity of one campaign, from its counters. */
    public CampaignReport report(String campaignId) {
        Campaign c = counted(campaignId);
        return CampaignReport.of(c, campaigns.stats(campaignId), campaigns.series(campaignId));
    }

    // --- codes ---------------------------------------------------------------------------------

    /** Clicks of one link this close together are one click: a double tap, a browser's retry, a reload. */
    public static final Duration CLICK_WINDOW = Duration.ofMinutes(1);

    /**
     * {@code GET /l/{code}}: records the click and answers the URL stored when the link was made (a web URL, or 404).
     * A click by a link-preview agent (a chat app unfurling the link) is recorded as a machine's and never counts as
     * engagement; a click of the same link within {@link #CLICK_WINDOW} of the last is not recorded again.
     */
    public String click(String code, String requestId, String userAgent, Instant now) {
        CampaignStore.Target t = target("link", code);
        if (!dev.tandem.decide.Links.isWebUrl(t.url())) {
            throw new NotFoundException("code", "no such link");
        }
        boolean preview = dev.tandem.ingest.LinkPreviews.isPreview(userAgent);
        // A preview fetched just before does not hide the person's own click: only a click of the same kind repeats.
        boolean again = engagements.view(t.contactId(), now.minus(CLICK_WINDOW), 20)
                .map(v -> v.timeline().newest(e -> e.is(EventType.SMS_CLICK) && code.equals(e.data().get("code"))
                        && e.machine() == preview && !e.at().isBefore(now.minus(CLICK_WINDOW))).isPresent())
                .orElse(false);
        if (!again) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("link", t.url());
            data.put("code", code);
            if (preview) {
                data.put("machine", true);
                data.put("userAgent", userAgent.length() > 200 ? userAgent.substring(0, 200) : userAgent);
            }
            engagements.record(Engagement.of(new TimelineEvent(EventIds.of("sms-click", code, requestId), t.contactId(),
                    EventType.SMS_CLICK.wire(), now, t.campaign(), t.step(), null, data)));
        }
        return t.url();
    }

    /** {@code GET /v/{code}}: the email as it went out. */
    public CampaignStore.Target view(String code) {
        return target("view", code);
    }

    /** The unsubscribe a code stands for; 404 when it stands for none. */
    public CampaignStore.Target unsubscribeTarget(String code) {
        return target("unsubscribe", code);
    }

    /**
     * {@code POST /u/{code}}: one-click unsubscribe (RFC 8058), once, however often it is posted. {@code evidence} is what
     * the request showed (the IP address and user agent that posted it), kept in the consent history.
     */
    public void unsubscribe(String code, Instant now, Map<String, String> evidence) {
        CampaignStore.Target t = target("unsubscribe", code);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", "one-click");
        engagements.record(new Engagement(new TimelineEvent(EventIds.of("unsubscribe", code), t.contactId(),
                EventType.EMAIL_UNSUBSCRIBE.wire(), now, t.campaign(), t.step(), null, data),
                new ProfileChange(Channel.EMAIL, null, Consent.unsubscribed(Consent.UNSUBSCRIBE_LINK, now)
                        .withEvidence(Consent.evidence("link", "one-click", "campaign", t.campaign()))
                        .withEvidence(evidence)), List.of(), null, false, false));
    }

    private CampaignStore.Target target(String kind, String code) {
        if (code == null || !code.matches("[A-Za-z0-9_-]{16,64}")) {
            throw new NotFoundException("code", "no such " + kind);
        }
        Optional<CampaignStore.Target> t = campaigns.target(kind, code);
        return t.orElseThrow(() -> new NotFoundException("code", "no such " + kind));
    }
}
