package dev.tandem.decide;

import dev.tandem.campaign.ContactPolicy;
import dev.tandem.campaign.QuietHours;
import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.timeline.Timeline;
import dev.tandem.timeline.TimelineEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one frequency budget across both channels and all campaigns: caps over rolling 24 hours and 7 days,
 * a minimum gap after a message of another campaign, and quiet hours in the contact's zone. It answers
 * with the first moment every rule allows, never with "no".
 */
public final class Budget {
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration WEEK = Duration.ofDays(7);

    private final ContactPolicy policy;

    public Budget(ContactPolicy policy) {
        this.policy = policy;
    }

    /** Why a message may not go now and when it may; empty when it may go now. */
    public record Block(Instant until, Reason reason, List<Reason> reasons) {
    }

    public Optional<Block> check(Contact contact, Channel channel, Timeline timeline, String campaign, Instant now) {
        Instant t = now;
        Reason first = null;
        List<Reason> reasons = new ArrayList<>();
        for (int round = 0; round < 32; round++) {
            boolean moved = false;
            for (Reason rule : List.of(Reason.QUIET_HOURS, Reason.CAP_24H, Reason.CAP_7D, Reason.MIN_GAP)) {
                Instant allowed = allowed(rule, contact, channel, timeline, campaign, t);
                if (allowed.isAfter(t)) {
                    t = allowed;
                    moved = true;
                    if (first == null) {
                        first = rule;
                    }
                    if (!reasons.contains(rule)) {
                        reasons.add(rule);
                    }
                }
            }
            if (!moved) {
                break;
            }
        }
        return first == null ? Optional.empty() : Optional.of(new Block(t, first, reasons));
    }

    private Instant allowed(Reason rule, Contact contact, Channel channel, Timeline timeline, String campaign, Instant t) {
        return switch (rule) {
            case QUIET_HOURS -> {
                QuietHours q = policy.quietHours(channel);
                yield q == null ? t : q.nextAllowed(t, contact.zone());
            }
            case CAP_24H -> capped(timeline, t, DAY, policy.maxPer24h());
            case CAP_7D -> capped(timeline, t, WEEK, policy.maxPer7d());
            case MIN_GAP -> {
                Optional<TimelineEvent> last = timeline.lastSendOfOtherCampaign(campaign);
                yield last.isPresent() && last.get().at().plus(policy.minGap()).isAfter(t) ? last.get().at().plus(policy.minGap()) : t;
            }
            default -> t;
        };
    }

    /** With n sends in the window and a cap of max, the (n-max+1)th oldest must leave it first. */
    private static Instant capped(Timeline timeline, Instant t, Duration window, int max) {
        List<Instant> sends = timeline.campaignSendsIn(t.minus(window), t);
        if (sends.size() < max) {
            return t;
        }
        Instant leaves = sends.get(sends.size() - max).plus(window);
        return leaves.isAfter(t) ? leaves : t.plusMillis(1);
    }
}
