package dev.tandem.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report page's content: one section per campaign and, for a simulation, each contact's conversation.
 * {@code subtitle} may be null.
 */
public record Report(String title, String subtitle, List<CampaignReport> campaigns, List<Conversation> conversations) {
    public Report {
        campaigns = List.copyOf(campaigns);
        conversations = List.copyOf(conversations);
    }

    /** The page of one campaign, as {@code GET /campaigns/{id}/report} answers it. */
    public static Report of(CampaignReport campaign) {
        return new Report("Campaign report: " + campaign.name(), null, List.of(campaign), List.of());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("title", title);
        out.put("subtitle", subtitle);
        out.put("campaigns", campaigns.stream().map(CampaignReport::toMap).toList());
        out.put("conversations", conversations.stream().map(Conversation::toMap).toList());
        return out;
    }
}
