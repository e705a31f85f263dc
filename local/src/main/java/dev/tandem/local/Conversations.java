package dev.tandem.local;

import dev.tandem.report.CampaignReport;
import dev.tandem.report.Conversation;
import dev.tandem.report.Report;
import dev.tandem.report.ReportPage;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The human view of a simulation: each contact's two-channel conversation in the contact's own time, then a
 * summary per channel of what was sent, deferred and skipped, by reason.
 */
public final class Conversations {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE dd MMM HH:mm", Locale.ENGLISH);

    private Conversations() {
    }

    private record Line(Instant at, String text) {
    }

    public static void print(Simulator.Result r, PrintStream out) {
        Map<String, List<Line>> byContact = new LinkedHashMap<>();
        r.contacts().keySet().forEach(id -> byContact.put(id, new ArrayList<>()));
        for (Map<String, Object> d : r.decisions()) {
            String contact = (String) d.get("contact");
            ZoneId zone = zoneOf(r, contact);
            Instant at = Instant.parse((String) d.get("at"));
            String channel = d.get("channel") == null ? "-" : (String) d.get("channel");
            String action = (String) d.get("action");
            StringBuilder b = new StringBuilder();
            b.append(String.format("  %s  %-5s  %-8s  ", WHEN.format(at.atZone(zone)), channel, action));
            String prefix = d.get("campaign") + "/" + d.get("step");
            switch (action) {
                case "sent" -> b.append(prefix).append(d.get("rule") == null ? "" : " [" + d.get("rule") + "]")
                        .append(": ").append(d.get("subject") != null ? "\"" + d.get("subject") + "\"" : "\"" + d.get("text") + "\"");
                case "deferred" -> b.append(prefix).append(": ").append(d.get("reason")).append(", until ")
                        .append(WHEN.format(Instant.parse((String) d.get("until")).atZone(zone)))
                        .append(d.get("rule") == null ? "" : " [" + d.get("rule") + "]");
                default -> b.append(prefix).append(": ").append(d.get("reason"))
                        .append(d.get("rule") == null ? "" : " [" + d.get("rule") + "]");
            }
            byContact.computeIfAbsent(contact, k -> new ArrayList<>()).add(new Line(at, b.toString()));
        }
        for (Simulator.Observation o : r.observations()) {
            ZoneId zone = zoneOf(r, o.contact());
            byContact.computeIfAbsent(o.contact(), k -> new ArrayList<>()).add(new Line(o.at(),
                    String.format("  %s  %-5s  %-8s  %s", WHEN.format(o.at().atZone(zone)),
                            o.channel() == null ? "-" : o.channel(), label(o), o.what().startsWith("consent ") ? o.what().substring("consent ".length()) : o.what())));
        }
        byContact.forEach((id, lines) -> {
            Map<String, Object> c = r.contacts().get(id);
            Object attrs = c == null ? null : c.get("attributes");
            Object name = attrs instanceof Map<?, ?> a ? a.get("firstName") : null;
            out.println((name == null ? id : name + " (" + id + ")") + " - " + zoneOf(r, id).getId());
            lines.sort(Comparator.comparing(Line::at));
            lines.forEach(l -> out.println(l.text()));
            if (lines.isEmpty()) {
                out.println("  (nothing)");
            }
            out.println();
        });
        summary(r, out);
    }

    public static void summary(Simulator.Result r, PrintStream out) {
        out.println("Summary");
        for (String channel : List.of("email", "sms")) {
            long sent = 0;
            Map<String, Integer> deferred = new TreeMap<>();
            Map<String, Integer> skipped = new TreeMap<>();
            for (Map<String, Object> d : r.decisions()) {
                if (!channel.equals(d.get("channel"))) {
                    continue;
                }
                switch ((String) d.get("action")) {
                    case "sent" -> sent++;
                    case "deferred" -> deferred.merge((String) d.get("reason"), 1, Integer::sum);
                    default -> skipped.merge((String) d.get("reason"), 1, Integer::sum);
                }
            }
            out.printf("  %-5s  sent %d; deferred %s; skipped %s%n", channel, sent, byReason(deferred), byReason(skipped));
        }
    }

    private static String byReason(Map<String, Integer> m) {
        if (m.isEmpty()) {
            return "0";
        }
        int total = m.values().stream().mapToInt(Integer::intValue).sum();
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + v));
        return total + " (" + String.join(", ", parts) + ")";
    }

    /**
     * The same conversations for the report page: per contact, its decisions and what happened, each on the lane of its
     * channel (on both when it has none, as a conversion), over the scenario's window, in the contact's own time.
     */
    public static List<Conversation> lanes(Simulator.Result r, Instant from, Instant to) {
        Map<String, List<Conversation.Mark>> byContact = new LinkedHashMap<>();
        r.contacts().keySet().forEach(id -> byContact.put(id, new ArrayList<>()));
        for (Map<String, Object> d : r.decisions()) {
            String contact = (String) d.get("contact");
            ZoneId zone = zoneOf(r, contact);
            String action = (String) d.get("action");
            String what = d.get("campaign") + "/" + d.get("step") + (d.get("rule") == null ? "" : " [" + d.get("rule") + "]");
            String detail = switch (action) {
                case "sent" -> d.get("subject") != null ? "\"" + d.get("subject") + "\"" : "\"" + d.get("text") + "\"";
                case "deferred" -> d.get("reason") + ", until " + WHEN.format(Instant.parse((String) d.get("until")).atZone(zone));
                default -> String.valueOf(d.get("reason"));
            };
            byContact.computeIfAbsent(contact, k -> new ArrayList<>()).add(new Conversation.Mark(Instant.parse((String) d.get("at")),
                    d.get("channel") == null ? Conversation.BOTH : (String) d.get("channel"), action, action + " " + what, detail));
        }
        for (Simulator.Observation o : r.observations()) {
            boolean auto = o.what().startsWith("auto-reply");
            byContact.computeIfAbsent(o.contact(), k -> new ArrayList<>()).add(new Conversation.Mark(o.at(),
                    o.channel() == null ? Conversation.BOTH : o.channel(), auto ? "auto" : "event", o.what(), null));
        }
        List<Conversation> out = new ArrayList<>();
        byContact.forEach((id, marks) -> {
            marks.sort(Comparator.comparing(Conversation.Mark::at));
            Map<String, Object> c = r.contacts().get(id);
            Object attrs = c == null ? null : c.get("attributes");
            Object name = attrs instanceof Map<?, ?> a ? a.get("firstName") : null;
            out.add(new Conversation(id, name == null ? id : String.valueOf(name), zoneOf(r, id), from, to, marks));
        });
        return out;
    }

    /**
     * The report page of a simulation: each campaign's report, read from the simulation's table (so call it before the
     * table is dropped), then each contact's conversation.
     */
    public static String page(String name, Scenario scenario, Simulator simulator, Simulator.Result r) {
        List<CampaignReport> campaigns = scenario.campaigns().stream().map(c -> simulator.report(c.id())).toList();
        String subtitle = String.format("%s to %s UTC, %d contacts, %d campaign%s", UTC.format(scenario.start()),
                UTC.format(scenario.until()), r.contacts().size(), campaigns.size(), campaigns.size() == 1 ? "" : "s");
        return ReportPage.render(new Report("Simulation: " + name, subtitle, campaigns, lanes(r, scenario.start(), scenario.until())));
    }

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("EEE dd MMM yyyy HH:mm", Locale.ENGLISH)
            .withZone(java.time.ZoneOffset.UTC);

    private static ZoneId zoneOf(Simulator.Result r, String contact) {
        Map<String, Object> c = r.contacts().get(contact);
        Object z = c == null ? null : c.get("timezone");
        return z == null ? ZoneId.of("UTC") : ZoneId.of(String.valueOf(z));
    }

    /** Who an observation's line is from: Tandem's own answer, a consent change, or the contact. */
    private static String label(Simulator.Observation o) {
        if (o.what().startsWith("auto-reply")) {
            return "auto";
        }
        return o.what().startsWith("consent ") ? "consent" : "<- them";
    }
}
