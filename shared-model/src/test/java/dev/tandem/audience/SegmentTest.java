package dev.tandem.audience;

import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.timeline.TimelineEvent;
import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentTest {
    static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");

    static Contact contact(String id, Map<String, Object> attributes, String smsConsent) {
        return ContactDraft.from(id, Map.of("email", id + "@example.com", "phone", "+14155550100",
                "timezone", "America/Toronto", "consent", Map.of("email", "subscribed", "sms", smsConsent),
                "attributes", attributes), "test", NOW.minus(Duration.ofDays(60))).applyTo(null, NOW.minus(Duration.ofDays(60)));
    }

    static TimelineEvent event(String contact, String type, String campaign, Instant at) {
        return new TimelineEvent(type + "-" + at.toEpochMilli() + "-" + campaign, contact, type, at, campaign, null, null, Map.of());
    }

    static Segment segment(Object where) {
        return Segment.from("s", Map.of("where", where));
    }

    Member gold = new Member(contact("ana", Map.of("tier", "gold", "country", "CA", "spend", 420, "signup", "2026-03-01",
            "tags", List.of("vip", "ski")), "subscribed"),
            Engagement.of(List.of(event("ana", "email.click", "winter", NOW.minus(Duration.ofDays(3))),
                    event("ana", "email.click", "spring", NOW.minus(Duration.ofDays(40))),
                    event("ana", "custom.cart.added", null, NOW.minus(Duration.ofHours(5))))));
    Member silver = new Member(contact("ben", Map.of("tier", "silver", "country", "CA", "spend", "95.5"), "unsubscribed"),
            Engagement.of(List.of(event("ben", "conversion", "winter", NOW.minus(Duration.ofDays(2))))));

    @Test
    void goldTierInCanadaWhoClickedInThirtyDaysAndHaveNotBoughtThisWeek() {
        Segment s = segment(Map.of("all", List.of(
                Map.of("attr", "tier", "eq", "gold"),
                Map.of("attr", "country", "in", List.of("CA", "US")),
                Map.of("event", "email.click", "within", "P30D"),
                Map.of("event", "conversion", "within", "P7D", "max", 0))));

        assertTrue(s.matches(gold, NOW));
        assertFalse(s.matches(silver, NOW));
        assertTrue(s.needsEngagement());
    }

    @Test
    void countsEventsInTheWindowOfOneCampaignBetweenMinAndMax() {
        assertTrue(segment(Map.of("event", "email.click", "within", "P30D", "campaign", "winter")).matches(gold, NOW));
        assertFalse(segment(Map.of("event", "email.click", "within", "P30D", "campaign", "spring")).matches(gold, NOW));
        assertTrue(segment(Map.of("event", "email.click", "within", "P60D", "min", 2)).matches(gold, NOW));
        assertFalse(segment(Map.of("event", "email.click", "within", "P60D", "min", 1, "max", 1)).matches(gold, NOW));
        assertTrue(segment(Map.of("event", "email.click", "min", 2)).matches(gold, NOW), "no window: all the history kept");
    }

    @Test
    void aCustomPrefixCountsEveryCustomEventUnderIt() {
        assertTrue(segment(Map.of("event", "custom.cart.*", "within", "P1D")).matches(gold, NOW));
        assertTrue(segment(Map.of("event", "custom.*", "within", "P1D")).matches(gold, NOW));
        assertFalse(segment(Map.of("event", "custom.order.*", "within", "P1D")).matches(gold, NOW));
    }

    @Test
    void comparesNumbersAndNumericStringsAndDatesAsTimes() {
        assertTrue(segment(Map.of("attr", "spend", "gt", 100)).matches(gold, NOW));
        assertTrue(segment(Map.of("attr", "spend", "lte", 95.5)).matches(silver, NOW), "a CSV-imported number is a string");
        assertTrue(segment(Map.of("attr", "signup", "gte", "2026-01-01")).matches(gold, NOW));
        assertFalse(segment(Map.of("attr", "signup", "gt", "2026-03-01T00:00:00Z")).matches(gold, NOW));
        assertFalse(segment(Map.of("attr", "signup", "gt", 5)).matches(gold, NOW), "a date is not a number");
    }

    @Test
    void existsContainsNotAndAny() {
        assertTrue(segment(Map.of("attr", "tags", "contains", "vip")).matches(gold, NOW));
        assertTrue(segment(Map.of("attr", "email", "contains", "@example.com")).matches(gold, NOW));
        assertTrue(segment(Map.of("attr", "tags", "exists", false)).matches(silver, NOW));
        assertTrue(segment(Map.of("not", Map.of("attr", "tier", "eq", "gold"))).matches(silver, NOW));
        assertTrue(segment(Map.of("any", List.of(Map.of("attr", "tier", "eq", "bronze"), Map.of("attr", "tier", "ne", "gold")))).matches(silver, NOW));
        assertTrue(segment(Map.of("attr", "timezone", "eq", "America/Toronto")).matches(silver, NOW));
    }

    @Test
    void reachabilityFollowsConsent() {
        assertTrue(segment(Map.of("channel", "sms", "reachable", true)).matches(gold, NOW));
        assertTrue(segment(Map.of("channel", "sms", "reachable", false)).matches(silver, NOW));
        assertFalse(segment(Map.of("channel", "sms", "reachable", true)).needsEngagement());
    }

    @Test
    void aBadConditionNamesItsPathInTheTree() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> segment(Map.of("all", List.of(
                Map.of("attr", "tier", "eq", "gold"),
                Map.of("channel", "email", "reachable", true),
                Map.of("event", "email.open", "within", "thirty days")))));
        assertEquals("where.all[2].within", e.field());

        assertEquals("where.any[0].not.attr", assertThrows(InvalidInputException.class, () -> segment(Map.of("any",
                List.of(Map.of("not", Map.of("attr", 5, "eq", 1)))))).field());
        assertEquals("where.all[0].like", assertThrows(InvalidInputException.class, () -> segment(Map.of("all",
                List.of(Map.of("attr", "tier", "like", "g%"))))).field());
        assertEquals("where.channel", assertThrows(InvalidInputException.class, () -> segment(Map.of("channel", "fax", "reachable", true))).field());
        assertEquals("where.event", assertThrows(InvalidInputException.class, () -> segment(Map.of("event", "email.opened"))).field());
        assertEquals("where.max", assertThrows(InvalidInputException.class, () -> segment(Map.of("event", "email.open", "min", 3, "max", 1))).field());
        assertEquals("where.all", assertThrows(InvalidInputException.class, () -> segment(Map.of("all", List.of()))).field());
        assertEquals("where", assertThrows(InvalidInputException.class, () -> segment("gold")).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> Segment.from("s", Map.of("where", Map.of("attr", "a", "exists", true), "name", "x"))).field());
    }

    @Test
    void aContactIsDecidedOnItsProfileWhereItCanBeSoThatOnlyTheUndecidedNeedASummary() {
        Segment s = segment(Map.of("all", List.of(Map.of("attr", "tier", "eq", "gold"), Map.of("event", "email.click", "within", "P30D"))));
        Member silverUnread = new Member(silver.contact(), null);
        Member goldUnread = new Member(gold.contact(), null);

        assertEquals(Boolean.FALSE, s.decide(silverUnread, NOW), "not gold: no summary needed");
        assertEquals(null, s.decide(goldUnread, NOW), "gold: the clicks decide");
        assertEquals(Boolean.TRUE, s.decide(gold, NOW));
        Segment either = segment(Map.of("any", List.of(Map.of("attr", "tier", "eq", "gold"), Map.of("event", "conversion"))));
        assertEquals(Boolean.TRUE, either.decide(goldUnread, NOW));
        assertEquals(null, either.decide(silverUnread, NOW));
        assertEquals(null, segment(Map.of("not", Map.of("event", "conversion"))).decide(silverUnread, NOW));
        assertTrue(segment(Map.of("event", "conversion", "max", 0)).matches(silverUnread, NOW), "no summary: no events");
    }

    @Test
    void deliveriesAreNotKeptSoAConditionOnOneIsRefusedAndMachineOpensNeverCount() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> segment(Map.of("event", "email.delivered")));
        assertEquals("where.event", e.field());
        assertTrue(e.getMessage().contains("email.sent"));
        Engagement machine = Engagement.of(List.of(new TimelineEvent("m1", "ana", "email.open", NOW.minusSeconds(60), null, null, null,
                Map.of("machine", true)), event("ana", "email.delivered", null, NOW.minusSeconds(60))));
        assertEquals(0, machine.count("email.open", null, Instant.EPOCH, NOW));
        assertTrue(machine.times().isEmpty());
    }

    @Test
    void hasNotIsMaxZeroAndCountsAboveTheKeptNewestSaturate() {
        List<TimelineEvent> many = new ArrayList<>();
        for (int i = 0; i < Engagement.KEEP + 20; i++) {
            many.add(event("ana", "email.open", "winter", NOW.minus(Duration.ofMinutes(i + 1))));
        }
        Member busy = new Member(gold.contact(), Engagement.of(many));
        assertFalse(segment(Map.of("event", "email.open", "max", 0)).matches(busy, NOW));
        assertTrue(segment(Map.of("event", "email.open", "max", 0)).matches(silver, NOW));
        assertEquals(Engagement.KEEP, busy.engagement().count("email.open", null, Instant.EPOCH, NOW));
    }
}
