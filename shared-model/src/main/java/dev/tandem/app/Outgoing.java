package dev.tandem.app;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decision;
import dev.tandem.decide.LinkMaker;
import dev.tandem.decide.Plan;
import dev.tandem.decide.Run;
import dev.tandem.ingest.EmailNotification;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A send decision made ready to go: the email's headers and tags, the web version an SMS follow-up will link to,
 * and where the run goes next. The decider builds it to claim (its links are written with the claim) and the sender
 * builds it again from the same seeded codes to send, so both agree on every link.
 */
record Outgoing(Decision send, Map<String, String> headers, Map<String, String> tags, String viewCode, Plan.Next next) {

    static Outgoing of(Decision send, Plan plan, Campaign campaign, Contact contact, LinkMaker links) {
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        String viewCode = null;
        Plan.Next next = plan.next();
        if (send.channel() == Channel.EMAIL) {
            // The web version is kept for an email an SMS will link to (email-first's follow-up): storing every
            // email's HTML would cost more than the rest of the send.
            if (next instanceof Plan.Continue c && Steps.SMS.equals(c.step())) {
                viewCode = links.newViewCode();
                links.view(viewCode, send.content().subject(), send.content().body());
                Map<String, String> more = new LinkedHashMap<>(c.data());
                more.put(Run.VIEW_CODE, viewCode);
                next = new Plan.Continue(c.step(), c.dueAt(), more);
            }
            if (!campaign.transactional()) {
                String unsubscribe = links.unsubscribeUrl(links.newUnsubscribeCode());
                headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
                headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
            tags.put(EmailNotification.TAG_CONTACT, contact.id());
            tags.put(EmailNotification.TAG_CAMPAIGN, campaign.id());
            tags.put(EmailNotification.TAG_STEP, send.step());
        }
        return new Outgoing(send, headers, tags, viewCode, next);
    }
}
