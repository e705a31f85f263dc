package dev.tandem.audience;

import dev.tandem.contact.Contact;

import java.util.Objects;

/** A contact as a segment sees it: the profile and, when a condition needs it, the engagement summary. */
public record Member(Contact contact, Engagement engagement) {
    public Member {
        Objects.requireNonNull(contact, "contact");
        engagement = engagement == null ? Engagement.NONE : engagement;
    }
}
