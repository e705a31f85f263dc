package dev.tandem.audience;

import dev.tandem.contact.Contact;

import java.util.Objects;

/**
 * A contact as a segment sees it: the profile and the engagement summary. A member read without its summary
 * ({@code engagement} null) is decided on the profile alone where the condition allows ({@link Condition#decide}).
 */
public record Member(Contact contact, Engagement engagement) {
    public Member {
        Objects.requireNonNull(contact, "contact");
    }

    /** The summary, or none: a contact with no summary has had no event kept. */
    public Engagement engagementOrNone() {
        return engagement == null ? Engagement.NONE : engagement;
    }

    public Member with(Engagement e) {
        return new Member(contact, e);
    }
}
