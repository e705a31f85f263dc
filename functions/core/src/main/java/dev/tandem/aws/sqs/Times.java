package dev.tandem.aws.sqs;

import dev.tandem.validation.InvalidInputException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The time formats providers write: ISO-8601, with an offset, with a spaced offset, or epoch milliseconds. */
public final class Times {
    private static final DateTimeFormatter SPACED_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS] Z");
    /** SNS delivery-status logs: {@code 2016-06-28 00:40:34.558}, in UTC. */
    private static final DateTimeFormatter SPACED_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]")
            .withZone(java.time.ZoneOffset.UTC);

    private Times() {
    }

    public static Instant parse(String field, Object value) {
        if (value instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidInputException(field, field + " must be a time");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return OffsetDateTime.parse(text, SPACED_OFFSET).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return Instant.from(SPACED_UTC.parse(text));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " is not a time: " + abbreviate(text));
        }
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
