package dev.tandem.port;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.decide.Launch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The definitions the API writes (templates, campaigns, the contact policy, launches) and what it reads back. */
public interface CampaignStore {

    void putTemplate(MessageTemplate template);

    Optional<MessageTemplate> template(String id);

    /** Stores a campaign definition that {@link Campaign#from} accepted. */
    void putCampaign(Campaign campaign);

    /** A stored campaign as it was accepted ({@link Campaign#restore}): never checked again on read. */
    Optional<Campaign> campaign(String id);

    /** Every stored campaign, for the checks a template or policy change must pass before it is stored. */
    List<Campaign> campaigns();

    ContactPolicy policy();

    void putPolicy(ContactPolicy policy);

    /** Stores a launch; returns the stored one when the launch id was used before (a retried request). */
    Launch createLaunch(Launch launch, Instant now);

    /** The campaign's recurrences still running: the launches of its recurring schedules. */
    List<Launch> recurrences(String campaign);

    /** Whether the campaign was ever launched (a launch of it is stored). */
    boolean launched(String campaign);

    /** The campaign's counters summed over their shards. */
    Map<String, Long> stats(String campaign);

    /** The campaign's counters of each UTC hour summed over their shards, named {@code 2026-11-27T05/email.sent}. */
    Map<String, Long> series(String campaign);

    Optional<Target> target(String kind, String code);

    /** What a code resolves to: a link's URL, an email's web version, an unsubscribe's contact. */
    record Target(String kind, String code, String contactId, String campaign, String step, String url,
                  String subject, String html) {
    }
}
