package dev.tandem.app;

import dev.tandem.contact.Contact;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.ContactStore;
import dev.tandem.timeline.EventType;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.Checks;
import dev.tandem.validation.NotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything held about one contact, for a data subject's access request: the profile, its consent history (every
 * change, with its source and evidence), the whole timeline, and every message sent with its text (an email's HTML from its web version).
 */
public final class ContactExport {
    private static final int PAGE = 100;

    private final ContactStore contacts;
    private final CampaignStore campaigns;

    public ContactExport(ContactStore contacts, CampaignStore campaigns) {
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
    }

    public record Export(Contact contact, List<dev.tandem.contact.ConsentEntry> consent, List<TimelineEvent> timeline, List<Message> messages) {
    }

    /** A message sent: its event, and its text as the contact received it ({@code html} for an email still viewable). */
    public record Message(TimelineEvent sent, String subject, String text, String html) {
    }

    public Export export(String id) {
        Checks.id("id", id);
        Contact c = contacts.find(id).orElseThrow(() -> new NotFoundException("id", "no contact " + id));
        List<TimelineEvent> all = new ArrayList<>();
        String cursor = null;
        do {
            ContactStore.TimelinePage page = contacts.timeline(id, PAGE, cursor);
            all.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        List<Message> messages = new ArrayList<>();
        for (TimelineEvent e : all) {
            if (e.is(EventType.EMAIL_SENT)) {
                Object code = e.data().get("viewCode");
                String html = code == null ? null
                        : campaigns.target("view", String.valueOf(code)).map(CampaignStore.Target::html).orElse(null);
                messages.add(new Message(e, (String) e.data().get("subject"), null, html));
            } else if (e.is(EventType.SMS_SENT)) {
                messages.add(new Message(e, null, (String) e.data().get("text"), null));
            }
        }
        return new Export(c, contacts.consentHistory(id), all, messages);
    }
}
