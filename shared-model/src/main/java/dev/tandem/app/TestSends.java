package dev.tandem.app;

import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.decide.Decider;
import dev.tandem.decide.Reason;
import dev.tandem.ingest.EmailNotification;
import dev.tandem.port.CampaignStore;
import dev.tandem.port.ContactStore;
import dev.tandem.port.EmailSender;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.SmsSender;
import dev.tandem.port.TestSendLog;
import dev.tandem.render.MessageContext;
import dev.tandem.render.Renderer;
import dev.tandem.render.SmsBudget;
import dev.tandem.validation.Checks;
import dev.tandem.validation.ConflictException;
import dev.tandem.validation.InvalidInputException;
import dev.tandem.validation.NotFoundException;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /templates/{id}/test}: one message rendered from a template and sent now, marked as a test ({@value #PREFIX}
 * before its subject or text, the SES tag {@value #TAG}). It is no campaign's: no run, no sent event, no counter, no cap.
 * Rendered for a stored contact (its attributes and its locale; sent to its address, only where a campaign could send)
 * or for given values (to a given address, the team's own).
 */
public final class TestSends {
    public static final String TAG = "tandem-test";
    public static final String PREFIX = "[Test] ";
    private static final Set<String> FIELDS = Set.of("contact", "to", "values", "testId");

    private final CampaignStore campaigns;
    private final ContactStore contacts;
    private final dev.tandem.port.EngagementStore owners;
    private final EmailSender email;
    private final SmsSender sms;
    private final TestSendLog log;

    /** {@code owners} finds the contact an address or number given as {@code to} belongs to, if any. */
    public TestSends(CampaignStore campaigns, ContactStore contacts, dev.tandem.port.EngagementStore owners, EmailSender email,
                     SmsSender sms, TestSendLog log) {
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.email = Objects.requireNonNull(email, "email");
        this.sms = Objects.requireNonNull(sms, "sms");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** What went: {@code subject} on an email, {@code text} on an SMS. */
    public record Sent(Channel channel, String to, String messageId, String subject, String text) {
    }

    /**
     * Whether an SES notification is about a test send (it carries the tag) and is to be set aside: its send, delivery,
     * opens and clicks are nobody's engagement. A permanent bounce, a complaint or an unsubscribe about a test still
     * counts: the person or the mailbox said no, and the contact's email must follow (suppressed, unsubscribed).
     */
    public static boolean isTest(EmailNotification n) {
        return n.tag(TAG) != null && switch (n.kind()) {
            case BOUNCE, COMPLAINT, SUBSCRIPTION -> false;
            default -> true;
        };
    }

    public Sent send(String templateId, Object body, Instant now) {
        Checks.id("id", templateId);
        if (!(body instanceof Map<?, ?> m)) {
            throw new InvalidInputException("", "the body must be an object: {\"contact\": ID} or {\"to\": ADDRESS, \"values\": {...}}");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                throw new InvalidInputException(String.valueOf(k), "unknown field " + k + "; use contact, or to and values");
            }
        }
        String contactId = Checks.string(m, "contact");
        String to = Checks.string(m, "to");
        if ((contactId == null) == (to == null)) {
            throw new InvalidInputException(contactId == null ? "contact" : "to", "give either contact or to, not both and not neither");
        }
        if (contactId != null && m.containsKey("values")) {
            throw new InvalidInputException("values", "values go with to; a contact's own attributes render for contact");
        }
        MessageTemplate t = campaigns.template(templateId).orElseThrow(() -> new NotFoundException("id", "no template " + templateId));
        Contact contact;
        String address;
        if (contactId != null) {
            Checks.id("contact", contactId);
            contact = contacts.find(contactId).orElseThrow(() -> new NotFoundException("contact", "no contact " + contactId));
            Optional<Reason> closed = Decider.closed(contact, t.channel());
            if (closed.isPresent()) {
                throw new ConflictException("contact", "contact " + contactId + " cannot get " + t.channel().wire() + " ("
                        + closed.get().wire() + "); a test goes only where a campaign could send");
            }
            address = contact.address(t.channel()).orElseThrow();
        } else {
            address = t.channel() == Channel.EMAIL ? email(to) : phone(to);
            // An address of a contact who said no (STOP, an unsubscribe, a pending double opt-in) gets no test either.
            Optional<String> owner = t.channel() == Channel.EMAIL ? owners.contactByEmail(address) : owners.contactByPhone(address);
            Optional<Contact> known = owner.flatMap(contacts::find);
            Optional<Reason> closed = known.flatMap(c -> Decider.closed(c, t.channel()));
            if (closed.isPresent()) {
                throw new ConflictException("to", "to belongs to contact " + known.get().id() + ", who cannot get " + t.channel().wire()
                        + " (" + closed.get().wire() + "); a test goes only where a campaign could send");
            }
            contact = valuesAsContact(m.get("values"), address, t.channel());
        }
        String testId = Checks.string(m, "testId");
        if (testId != null && !log.claim(Checks.id("testId", testId), now)) {
            // A retried request: the first one sent it (or is sending it). Nothing goes twice.
            throw new ConflictException("testId", "test " + testId + " was sent already; use a new testId to send another");
        }
        Renderer.Compiled compiled = Renderer.compile(t).in(contact.locale());
        Map<String, Object> context = MessageContext.of(contact);
        try {
            if (t.channel() == Channel.EMAIL) {
                Renderer.Rendered content = compiled.render(context);
                String subject = PREFIX + content.subject();
                String id = email.send(new EmailSender.Email(address, subject, content.body(), PlainText.of(content.body()),
                        Map.of(), Map.of(TAG, "true")));
                return new Sent(Channel.EMAIL, address, id, subject, null);
            }
            String text = PREFIX + SmsBudget.render(compiled, context, campaigns.policy().maxSmsSegments());
            String id = sms.send(new SmsSender.Sms(address, text, true));
            log.remember(id, Channel.SMS, now);
            return new Sent(Channel.SMS, address, id, null, text);
        } catch (ProviderRejectedException e) {
            throw new ConflictException("to", "the provider refused the test message: " + e.getMessage());
        }
    }

    private static String email(String to) {
        if (!to.contains("@")) {
            throw new InvalidInputException("to", "to must be an email address for an email template");
        }
        return Checks.email("to", to);
    }

    private static String phone(String to) {
        if (to.contains("@")) {
            throw new InvalidInputException("to", "to must be a phone number such as +14155550101 for an SMS template");
        }
        return Checks.phone("to", to);
    }

    /** {@code values} as a contact's attributes, checked by the rules of a contact's attributes. */
    private static Contact valuesAsContact(Object values, String address, Channel channel) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put(channel == Channel.EMAIL ? "email" : "phone", address);
        if (values != null) {
            body.put("attributes", values);
        }
        try {
            return ContactDraft.from("test", body, "test", Instant.EPOCH).applyTo(null, Instant.EPOCH);
        } catch (InvalidInputException e) {
            String field = e.field() == null ? "values" : e.field().replaceFirst("^attributes", "values");
            throw new InvalidInputException(field, e.getMessage().replaceFirst("^attributes", "values"));
        }
    }
}
