package dev.tandem.audience;

import dev.tandem.contact.Channel;
import dev.tandem.contact.Contact;
import dev.tandem.decide.Decider;
import dev.tandem.timeline.EventType;
import dev.tandem.validation.Checks;
import dev.tandem.validation.InvalidInputException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A segment's condition over a contact (docs/segments.md): attributes, channel reachability and counts of timeline
 * events in a window, combined with {@code all}, {@code any} and {@code not}. Parsing names the path of the first
 * problem inside the tree ({@code where.all[2].within}).
 */
public sealed interface Condition {
    /** Deeper trees are refused: each level is a recursion on every contact evaluated. */
    int MAX_DEPTH = 10;
    /** Conditions in one tree, at most. */
    int MAX_NODES = 100;

    boolean test(Member member, Instant now);

    /**
     * The answer from what is known of the member: true or false, or null when it depends on an engagement summary the
     * member was read without. {@code all}, {@code any} and {@code not} combine unknowns as three-valued logic does, so
     * that "gold and clicked" is false for a silver contact before any summary is read.
     */
    Boolean decide(Member member, Instant now);

    /** True when answering needs the contact's engagement summary, not only the profile. */
    boolean needsEngagement();

    record All(List<Condition> of) implements Condition {
        public boolean test(Member m, Instant now) {
            for (Condition c : of) {
                if (!c.test(m, now)) {
                    return false;
                }
            }
            return true;
        }

        public Boolean decide(Member m, Instant now) {
            return decideAll(of, m, now, false);
        }

        public boolean needsEngagement() {
            return of.stream().anyMatch(Condition::needsEngagement);
        }
    }

    record Any(List<Condition> of) implements Condition {
        public boolean test(Member m, Instant now) {
            for (Condition c : of) {
                if (c.test(m, now)) {
                    return true;
                }
            }
            return false;
        }

        public Boolean decide(Member m, Instant now) {
            return decideAll(of, m, now, true);
        }

        public boolean needsEngagement() {
            return of.stream().anyMatch(Condition::needsEngagement);
        }
    }

    record Not(Condition of) implements Condition {
        public boolean test(Member m, Instant now) {
            return !of.test(m, now);
        }

        public Boolean decide(Member m, Instant now) {
            Boolean b = of.decide(m, now);
            return b == null ? null : !b;
        }

        public boolean needsEngagement() {
            return of.needsEngagement();
        }
    }

    /** {@code {"channel": "email", "reachable": true}}: an address, consent, and no suppression or opt-out. */
    record Reachable(Channel channel, boolean reachable) implements Condition {
        public boolean test(Member m, Instant now) {
            return Decider.closed(m.contact(), channel).isEmpty() == reachable;
        }

        public Boolean decide(Member m, Instant now) {
            return test(m, now);
        }

        public boolean needsEngagement() {
            return false;
        }
    }

    /** {@code {"event": TYPE, "within": P30D, "min": 1, "max": N, "campaign": ID}}. */
    record Event(String type, Duration within, int min, Integer max, String campaign) implements Condition {
        public boolean test(Member m, Instant now) {
            Instant from = within == null ? Instant.EPOCH : now.minus(within);
            int n = m.engagementOrNone().count(type, campaign, from, now);
            return n >= min && (max == null || n <= max);
        }

        public Boolean decide(Member m, Instant now) {
            return m.engagement() == null ? null : test(m, now);
        }

        public boolean needsEngagement() {
            return true;
        }
    }

    /** {@code {"attr": NAME, OP: VALUE}}. */
    record Attr(String name, String op, Object value) implements Condition {
        static final Set<String> OPS = Set.of("eq", "ne", "in", "exists", "gt", "gte", "lt", "lte", "contains");

        public boolean test(Member m, Instant now) {
            Object actual = valueOf(m.contact(), name);
            return switch (op) {
                case "exists" -> (actual != null) == (Boolean) value;
                case "eq" -> same(actual, value);
                case "ne" -> !same(actual, value);
                case "in" -> ((List<?>) value).stream().anyMatch(v -> same(actual, v));
                case "contains" -> contains(actual, value);
                default -> compare(actual, value, op);
            };
        }

        public Boolean decide(Member m, Instant now) {
            return test(m, now);
        }

        public boolean needsEngagement() {
            return false;
        }

        /** An attribute, or one of the profile's own fields when no attribute has that name. */
        static Object valueOf(Contact c, String name) {
            Object v = c.attributes().get(name);
            if (v != null) {
                return v;
            }
            return switch (name) {
                case "email" -> c.email();
                case "phone" -> c.phone();
                case "timezone" -> c.zone().getId();
                default -> null;
            };
        }

        static boolean same(Object a, Object b) {
            if (a == null || b == null) {
                return a == b;
            }
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            if (x != null && y != null) {
                return x.compareTo(y) == 0;
            }
            return a.equals(b);
        }

        static boolean contains(Object actual, Object wanted) {
            if (actual instanceof String s && wanted instanceof String w) {
                return s.contains(w);
            }
            if (actual instanceof Collection<?> list) {
                return list.stream().anyMatch(v -> same(v, wanted));
            }
            return false;
        }

        static boolean compare(Object actual, Object bound, String op) {
            int c;
            if (bound instanceof Number) {
                BigDecimal a = number(actual);
                if (a == null) {
                    return false;
                }
                c = a.compareTo(number(bound));
            } else {
                Instant a = actual instanceof String s ? time(s) : null;
                if (a == null) {
                    return false;
                }
                c = a.compareTo(time((String) bound));
            }
            return switch (op) {
                case "gt" -> c > 0;
                case "gte" -> c >= 0;
                case "lt" -> c < 0;
                default -> c <= 0;
            };
        }

        /** A number, or a string that holds one: attributes imported from CSV arrive as strings. */
        static BigDecimal number(Object v) {
            if (v instanceof Number n) {
                return new BigDecimal(n.toString());
            }
            if (v instanceof String s && !s.isBlank() && s.length() < 40) {
                try {
                    return new BigDecimal(s.trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        /** An ISO-8601 date (its first instant in UTC) or instant; null when the text is neither. */
        static Instant time(String s) {
            try {
                if (s.length() == 10) {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /**
     * {@code all} ({@code decisive} false) or {@code any} ({@code decisive} true) in three-valued logic: the decisive
     * answer as soon as one condition gives it, else unknown if one was unknown, else the other answer.
     */
    private static Boolean decideAll(List<Condition> of, Member m, Instant now, boolean decisive) {
        boolean unknown = false;
        for (Condition c : of) {
            Boolean b = c.decide(m, now);
            if (b == null) {
                unknown = true;
            } else if (b == decisive) {
                return decisive;
            }
        }
        return unknown ? null : !decisive;
    }

    // --- reading -------------------------------------------------------------------------------

    /** Reads a condition tree; {@code path} names its place in the request ({@code where}). */
    static Condition parse(Object raw, String path) {
        int[] nodes = {0};
        return parse(raw, path, 1, nodes);
    }

    private static Condition parse(Object raw, String path, int depth, int[] nodes) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(path, path + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (++nodes[0] > MAX_NODES) {
            throw new InvalidInputException(path, "a segment holds at most " + MAX_NODES + " conditions");
        }
        if (!(raw instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new InvalidInputException(path, path + " must be a condition object such as {\"attr\": \"tier\", \"eq\": \"gold\"}");
        }
        if (m.containsKey("all") || m.containsKey("any")) {
            String kind = m.containsKey("all") ? "all" : "any";
            only(m, path, Set.of(kind));
            if (!(m.get(kind) instanceof List<?> list) || list.isEmpty()) {
                throw new InvalidInputException(path + "." + kind, path + "." + kind + " must be a non-empty array of conditions");
            }
            List<Condition> of = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                of.add(parse(list.get(i), path + "." + kind + "[" + i + "]", depth + 1, nodes));
            }
            return kind.equals("all") ? new All(List.copyOf(of)) : new Any(List.copyOf(of));
        }
        if (m.containsKey("not")) {
            only(m, path, Set.of("not"));
            return new Not(parse(m.get("not"), path + ".not", depth + 1, nodes));
        }
        if (m.containsKey("attr")) {
            return attr(m, path);
        }
        if (m.containsKey("channel")) {
            only(m, path, Set.of("channel", "reachable"));
            Channel channel = Channel.parse(path + ".channel", Checks.string(m, "channel", path + ".channel"));
            if (!(m.get("reachable") instanceof Boolean b)) {
                throw new InvalidInputException(path + ".reachable", path + ".reachable must be true or false");
            }
            return new Reachable(channel, b);
        }
        if (m.containsKey("event")) {
            return event(m, path);
        }
        throw new InvalidInputException(path, path + " must hold one of all, any, not, attr, channel or event");
    }

    private static Condition attr(Map<?, ?> m, String path) {
        String name = Checks.string(m, "attr", path + ".attr");
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new InvalidInputException(path + ".attr", path + ".attr must name an attribute (1 to 128 characters)");
        }
        String op = null;
        for (Object k : m.keySet()) {
            String key = String.valueOf(k);
            if (key.equals("attr")) {
                continue;
            }
            if (!Attr.OPS.contains(key)) {
                throw new InvalidInputException(path + "." + key, "unknown operator " + key + " (eq, ne, in, exists, gt, gte, lt, lte, contains)");
            }
            if (op != null) {
                throw new InvalidInputException(path + "." + key, path + " takes one operator; it has " + op + " and " + key);
            }
            op = key;
        }
        if (op == null) {
            throw new InvalidInputException(path, path + " needs an operator: eq, ne, in, exists, gt, gte, lt, lte or contains");
        }
        Object v = m.get(op);
        String at = path + "." + op;
        switch (op) {
            case "exists" -> {
                if (!(v instanceof Boolean)) {
                    throw new InvalidInputException(at, at + " must be true or false");
                }
            }
            case "in" -> {
                if (!(v instanceof List<?> l) || l.isEmpty() || l.size() > 1000) {
                    throw new InvalidInputException(at, at + " must be an array of 1 to 1000 values");
                }
                for (int i = 0; i < l.size(); i++) {
                    scalar(l.get(i), at + "[" + i + "]");
                }
            }
            case "gt", "gte", "lt", "lte" -> {
                if (!(v instanceof Number) && !(v instanceof String s && Attr.time(s) != null)) {
                    throw new InvalidInputException(at, at + " must be a number or an ISO-8601 date or instant");
                }
            }
            default -> scalar(v, at);
        }
        return new Attr(name, op, v);
    }

    private static void scalar(Object v, String at) {
        if (!(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
            throw new InvalidInputException(at, at + " must be a string, a number or true/false");
        }
    }

    private static Condition event(Map<?, ?> m, String path) {
        only(m, path, Set.of("event", "within", "min", "max", "campaign"));
        String type = Checks.string(m, "event", path + ".event");
        boolean known = type != null && (EventType.of(type).filter(t -> t != EventType.CUSTOM).isPresent()
                || type.matches("custom\\.[A-Za-z0-9_.-]{1,64}") || type.matches("custom\\.([A-Za-z0-9_.-]{0,63})\\*"));
        if (!known) {
            throw new InvalidInputException(path + ".event", path + ".event must be an event type such as email.open, "
                    + "custom.<name>, or a custom prefix such as custom.order.*");
        }
        if (!Engagement.kept(type)) {
            throw new InvalidInputException(path + ".event", type + " is not kept for segments (a delivery follows nearly "
                    + "every send); count " + type.substring(0, type.indexOf('.')) + ".sent instead");
        }
        Duration within = m.get("within") == null ? null
                : Checks.duration(path + ".within", Checks.string(m, "within", path + ".within"));
        if (within != null && within.isZero()) {
            throw new InvalidInputException(path + ".within", path + ".within must be longer than zero");
        }
        int min = count(m.get("min"), path + ".min", 1);
        Integer max = m.get("max") == null ? null : count(m.get("max"), path + ".max", 0);
        if (max != null && max < min && m.get("min") != null) {
            throw new InvalidInputException(path + ".max", path + ".max must not be below min");
        }
        if (max != null && m.get("min") == null && max < min) {
            min = 0;
        }
        String campaign = m.get("campaign") == null ? null
                : Checks.id(path + ".campaign", Checks.string(m, "campaign", path + ".campaign"));
        return new Event(type, within, min, max, campaign);
    }

    private static int count(Object v, String at, int dflt) {
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < 0
                || n.longValue() > Engagement.KEEP) {
            throw new InvalidInputException(at, at + " must be a whole number from 0 to " + Engagement.KEEP);
        }
        return n.intValue();
    }

    private static void only(Map<?, ?> m, String path, Set<String> allowed) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new InvalidInputException(path + "." + k, "unexpected " + k + " in " + path + " (it takes " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }
}
