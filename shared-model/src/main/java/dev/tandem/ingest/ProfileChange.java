package dev.tandem.ingest;

import dev.tandem.contact.Channel;
import dev.tandem.contact.ChannelState;
import dev.tandem.contact.Consent;
import dev.tandem.contact.ConsentEntry;
import dev.tandem.contact.ConsentStatus;
import dev.tandem.contact.Contact;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to one channel of a profile that rides in the same write as the event that caused it. State and consent
 * follow the time of the contact's act, not the order notifications arrive in: {@link #newerThan} keeps only what is
 * newer than the profile holds, and {@code seenStateAt}/{@code seenConsentAt} are what the profile held when read, so
 * that a store can refuse the change when another writer moved that channel meanwhile. {@code touchesUpdatedAt} is
 * false when the act is older than the profile's last change, so that {@code updatedAt} never moves backwards.
 * {@code act} is the consent the act itself gave or withdrew, kept when {@code consent} is dropped as older, so that the
 * consent history still names the act's source and evidence ({@link #entry}).
 */
public record ProfileChange(Channel channel, ChannelState state, Consent consent, boolean touchesUpdatedAt,
                            Instant seenStateAt, Instant seenConsentAt, boolean seen, Consent act) {
    public ProfileChange {
        Objects.requireNonNull(channel, "channel");
        if (state == null && consent == null) {
            throw new IllegalArgumentException("a profile change sets a state, a consent or both");
        }
    }

    /** A change made now, by the contact's own hand (a one-click unsubscribe), with nothing read before it. */
    public ProfileChange(Channel channel, ChannelState state, Consent consent) {
        this(channel, state, consent, true, null, null, false, consent);
    }

    /**
     * The consent history line this change makes: its consent, with the consent's evidence. When only the channel's
     * state changes (a permanent bounce; or a complaint, a STOP or a START whose consent part is older than a consent
     * set since), the line says what the act did to the channel, with the act's own source and evidence
     * ({@code act}); a bounce, which sets no consent, names its reason and the message it was about.
     */
    public ConsentEntry entry(String messageId) {
        if (consent != null) {
            return ConsentEntry.of(channel, consent);
        }
        String status = switch (state.status()) {
            case SUPPRESSED -> "suppressed";
            case OPTED_OUT -> ConsentStatus.UNSUBSCRIBED.wire();
            case REACHABLE -> ConsentStatus.SUBSCRIBED.wire();
        };
        if (act != null) {
            return new ConsentEntry(channel, status, act.source(), at(), act.evidence());
        }
        return new ConsentEntry(channel, status, Consent.BOUNCE, at(),
                Consent.evidence("reason", state.reason(), "messageId", messageId));
    }

    /** When the act happened. */
    public Instant at() {
        return state != null && state.at() != null ? state.at() : consent.at();
    }

    /**
     * The parts of this change newer than what the contact's profile holds for the channel, or null when the profile
     * already reflects a later act (a STOP processed after a later START, a complaint after a newer consent).
     */
    public ProfileChange newerThan(Contact contact) {
        ChannelState current = contact.states().get(channel);
        Consent currentConsent = contact.consent().get(channel);
        Instant stateAt = current == null ? null : current.at();
        Instant consentAt = currentConsent == null ? null : currentConsent.at();
        ChannelState s = state != null && (stateAt == null || state.at() == null || !state.at().isBefore(stateAt)) ? state : null;
        Consent k = consent != null && (consentAt == null || !consent.at().isBefore(consentAt)) ? consent : null;
        if (s == null && k == null) {
            return null;
        }
        boolean touches = contact.updatedAt() == null || !at().isBefore(contact.updatedAt());
        return new ProfileChange(channel, s, k, touches, stateAt, consentAt, true, act);
    }
}
