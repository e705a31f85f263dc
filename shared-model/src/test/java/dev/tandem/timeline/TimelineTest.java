package dev.tandem.timeline;

import dev.tandem.contact.Channel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineTest {
    private static final Instant T = Instant.parse("2026-12-01T17:00:00Z");

    private static TimelineEvent event(String id, String type, Instant at, String campaign, String messageId, Map<String, Object> data) {
        return new TimelineEvent(id, "c1", type, at, campaign, null, messageId, data);
    }

    private final Timeline timeline = Timeline.of(List.of(
            event("e1", "email.sent", T, "winter", "m1", Map.of("subject", "Winter picks")),
            event("e2", "email.open", T.plusSeconds(60), "winter", "m1", Map.of("machine", true)),
            event("e3", "email.open", T.plusSeconds(3600), "winter", "m1", Map.of("machine", false)),
            event("e4", "sms.sent", T.plusSeconds(7200), "flash", "s1", Map.of("text", "Sale")),
            event("e5", "sms.reply", T.plusSeconds(7300), null, null, Map.of("text", "When?")),
            event("e6", "email.sent", T.minusSeconds(86400 * 3), "autumn", "m0", Map.of())));

    @Test
    void answersWithTheNewestFirst() {
        assertEquals("e5", timeline.newestFirst().get(0).eventId());
        assertEquals("m1", timeline.lastEmail().orElseThrow().messageId());
        assertEquals("s1", timeline.lastSms().orElseThrow().messageId());
    }

    @Test
    void countsOnlyHumanOpensAsEngagementWithAnEmail() {
        assertEquals(List.of("e3"), timeline.humanEngagementWith("m1").stream().map(TimelineEvent::eventId).toList());
        assertEquals(2, timeline.opensOf("m1").size());
        assertTrue(timeline.humanEngagementWith("m0").isEmpty());
    }

    @Test
    void listsCampaignSendsInAWindowAcrossChannelsAndCampaigns() {
        assertEquals(List.of(T, T.plusSeconds(7200)), timeline.campaignSendsIn(T.minusSeconds(86400), T.plusSeconds(86400)));
        assertEquals(3, timeline.campaignSendsIn(T.minusSeconds(7 * 86400), T.plusSeconds(86400)).size());
    }

    @Test
    void findsTheLastMessageOfAnotherCampaign() {
        assertEquals("s1", timeline.lastSendOfOtherCampaign("winter").orElseThrow().messageId());
        assertEquals("m1", timeline.lastSendOfOtherCampaign("flash").orElseThrow().messageId());
    }

    @Test
    void measuresHabitsPerChannel() {
        assertEquals(1, timeline.humanEngagements(Channel.EMAIL, T.minusSeconds(90L * 86400)));
        assertEquals(1, timeline.humanEngagements(Channel.SMS, T.minusSeconds(90L * 86400)));
        assertEquals(0, timeline.humanEngagements(Channel.EMAIL, T.plusSeconds(7200)));
    }

    @Test
    void findsTheFirstEventOfAKindSinceAnInstant() {
        assertEquals("e3", timeline.firstAtOrAfter(T.plusSeconds(120), e -> e.is(EventType.EMAIL_OPEN)).orElseThrow().eventId());
        assertFalse(timeline.firstAtOrAfter(T.plusSeconds(8000), e -> e.is(EventType.EMAIL_OPEN)).isPresent());
    }

    @Test
    void readsEventTypesByWireName() {
        assertEquals(EventType.SMS_OPT_OUT, EventType.of("sms.opt_out").orElseThrow());
        assertEquals(EventType.CUSTOM, EventType.of("custom.anything").orElseThrow());
        assertFalse(EventType.of("email.opened").isPresent());
        assertEquals(Channel.SMS, EventType.SMS_CLICK.channel().orElseThrow());
    }

    @Test
    void aKeywordIsNotAReplyAPersonWroteNorIsAPreviewsClick() {
        assertTrue(event("r", "sms.reply", T, null, null, Map.of("text", "Where?")).isHumanEngagement());
        assertFalse(event("h", "sms.reply", T, null, null, Map.of("text", "HELP", "keyword", "HELP")).isHumanEngagement());
        assertFalse(event("p", "sms.click", T, "w", null, Map.of("machine", true)).isHumanEngagement());
    }
}
