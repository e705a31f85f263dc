package dev.tandem.aws.store;

import dev.tandem.timeline.TimelineEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.tandem.aws.store.AttributeValues.n;
import static dev.tandem.aws.store.AttributeValues.s;
import static dev.tandem.aws.store.AttributeValues.string;

/** The timeline event item: one mapper, both ways. */
final class EventItems {
    static final String TYPE = "event";

    private EventItems() {
    }

    static Map<String, AttributeValue> toItem(TimelineEvent e, Duration retention) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.contact(e.contactId())));
        item.put(Keys.SK, s(Keys.event(e.at(), e.eventId())));
        item.put(Keys.TYPE, s(TYPE));
        item.put("eventId", s(e.eventId()));
        item.put("eventType", s(e.type()));
        item.put("at", s(e.at().toString()));
        if (e.campaign() != null) {
            item.put("campaign", s(e.campaign()));
        }
        if (e.step() != null) {
            item.put("step", s(e.step()));
        }
        if (e.messageId() != null) {
            item.put("messageId", s(e.messageId()));
        }
        if (!e.data().isEmpty()) {
            item.put("data", AttributeValues.of(e.data()));
        }
        item.put(Keys.EXPIRES_AT, n(expiry(e.at(), retention)));
        return item;
    }

    static long expiry(Instant at, Duration retention) {
        return at.plus(retention).getEpochSecond();
    }

    static TimelineEvent fromItem(Map<String, AttributeValue> item) {
        AttributeValue data = item.get("data");
        return new TimelineEvent(
                string(item, "eventId"),
                Keys.contactIdOf(string(item, Keys.PK)),
                string(item, "eventType"),
                Instant.parse(string(item, "at")),
                string(item, "campaign"),
                string(item, "step"),
                string(item, "messageId"),
                data == null || !data.hasM() ? Map.of() : AttributeValues.toJava(data.m()));
    }
}
