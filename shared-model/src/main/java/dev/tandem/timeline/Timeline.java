package dev.tandem.timeline;

import dev.tandem.contact.Channel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A contact's events on both channels, newest first, and the questions the decider asks of them.
 * It holds what the store returned (the newest events of a window), so every answer is about that window.
 */
public final class Timeline {
    private static final Comparator<TimelineEvent> NEWEST_FIRST =
            Comparator.comparing(TimelineEvent::at).reversed().thenComparing(TimelineEvent::eventId);

    private final List<TimelineEvent> events;
    /** The campaign sends, oldest first, read once: the budget asks about them on every decision. */
    private volatile TimelineEvent[] sends;

    private Timeline(List<TimelineEvent> events) {
        this.events = events;
    }

    private TimelineEvent[] sends() {
        TimelineEvent[] s = sends;
        if (s == null) {
            List<TimelineEvent> out = new ArrayList<>();
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).isCampaignSend()) {
                    out.add(events.get(i));
                }
            }
            s = out.toArray(new TimelineEvent[0]);
            sends = s;
        }
        return s;
    }

    public static Timeline of(List<TimelineEvent> events) {
        List<TimelineEvent> sorted = new ArrayList<>(events);
        sorted.sort(NEWEST_FIRST);
        return new Timeline(List.copyOf(sorted));
    }

    public static Timeline empty() {
        return new Timeline(List.of());
    }

    /** The same timeline with one more event, as it will read once the event is stored. */
    public Timeline with(TimelineEvent event) {
        List<TimelineEvent> more = new ArrayList<>(events);
        more.add(event);
        return of(more);
    }

    public List<TimelineEvent> newestFirst() {
        return events;
    }

    public int size() {
        return events.size();
    }

    public Optional<TimelineEvent> newest(Predicate<TimelineEvent> test) {
        for (TimelineEvent e : events) {
            if (test.test(e)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public Optional<TimelineEvent> byId(String eventId) {
        return newest(e -> e.eventId().equals(eventId));
    }

    /** The last email Tandem sent to this contact. */
    public Optional<TimelineEvent> lastEmail() {
        return newest(e -> e.is(EventType.EMAIL_SENT));
    }

    /** The last SMS Tandem sent to this contact. */
    public Optional<TimelineEvent> lastSms() {
        return newest(e -> e.is(EventType.SMS_SENT));
    }

    /** The sent message with this provider message id. */
    public Optional<TimelineEvent> sent(String messageId) {
        return newest(e -> (e.is(EventType.EMAIL_SENT) || e.is(EventType.SMS_SENT)) && messageId.equals(e.messageId()));
    }

    /** Human opens and clicks of one email: what "engaged" means for an email-first follow-up. */
    public List<TimelineEvent> humanEngagementWith(String messageId) {
        return all(e -> messageId.equals(e.messageId())
                && ((e.is(EventType.EMAIL_OPEN) && !e.machine()) || e.is(EventType.EMAIL_CLICK)));
    }

    /** Opens of one email, machine and human alike. */
    public List<TimelineEvent> opensOf(String messageId) {
        return all(e -> messageId.equals(e.messageId()) && e.is(EventType.EMAIL_OPEN));
    }

    /** Campaign messages sent in the half-open window (from, to], both channels, all campaigns, oldest first. */
    public List<Instant> campaignSendsIn(Instant from, Instant to) {
        List<Instant> out = new ArrayList<>(4);
        for (TimelineEvent e : sends()) {
            if (e.at().isAfter(from) && !e.at().isAfter(to)) {
                out.add(e.at());
            }
        }
        return out;
    }

    /** The newest campaign message of a campaign other than {@code campaign}. */
    public Optional<TimelineEvent> lastSendOfOtherCampaign(String campaign) {
        TimelineEvent[] s = sends();
        for (int i = s.length - 1; i >= 0; i--) {
            if (!s[i].campaign().equals(campaign)) {
                return Optional.of(s[i]);
            }
        }
        return Optional.empty();
    }

    /** The first event of a type at or after an instant, oldest first. */
    public Optional<TimelineEvent> firstAtOrAfter(Instant since, Predicate<TimelineEvent> test) {
        TimelineEvent found = null;
        for (TimelineEvent e : events) {
            if (e.at().isBefore(since)) {
                break;
            }
            if (test.test(e)) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Human engagements since an instant, by channel in one pass: [email, sms]. */
    public long[] humanEngagements(Instant since) {
        long[] n = new long[2];
        for (TimelineEvent e : events) {
            if (e.at().isBefore(since)) {
                break;
            }
            if (e.isHumanEngagement()) {
                EventType t = EventType.of(e.type()).orElse(null);
                if (t != null && t.channel().isPresent()) {
                    n[t.channel().get() == Channel.EMAIL ? 0 : 1]++;
                }
            }
        }
        return n;
    }

    /** Human engagements on one channel since an instant: the contact's habits. */
    public long humanEngagements(Channel channel, Instant since) {
        return humanEngagements(since)[channel == Channel.EMAIL ? 0 : 1];
    }

    public List<TimelineEvent> all(Predicate<TimelineEvent> test) {
        List<TimelineEvent> out = new ArrayList<>();
        for (TimelineEvent e : events) {
            if (test.test(e)) {
                out.add(e);
            }
        }
        return out;
    }
}
