package dev.tandem.report;

import dev.tandem.campaign.Campaign;
import dev.tandem.campaign.Steps;
import dev.tandem.contact.Channel;
import dev.tandem.experiment.Experiment;
import dev.tandem.experiment.Reading;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the campaign report draws for one campaign, read from its counters alone: the funnel of each channel (the
 * numbers of {@code GET /campaigns/{id}/stats}), the same funnel for each step, deferrals and skips by reason, the
 * activity of each hour and, for a campaign with an experiment or a goal, its experiment ({@code null} without either).
 */
public record CampaignReport(String id, String name, String playbook, Map<String, Object> stats, List<Funnel> funnels,
                             long conversions, List<StepFunnels> steps, List<ReasonCount> reasons, Activity activity,
                             ExperimentReport experiment) {

    /** Past this many hours the activity is drawn by UTC day instead: a long campaign stays a readable chart. */
    static final int MAX_HOURS = 24 * 45;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    /** One stage of a funnel: {@code sent}, {@code delivered}, {@code opened} (by people), {@code clicked}, {@code replied}. */
    public record Stage(String name, long value) {
    }

    /** A channel's funnel, widest stage first. */
    public record Funnel(String channel, List<Stage> stages) {
        public long value(String stage) {
            return stages.stream().filter(s -> s.name().equals(stage)).mapToLong(Stage::value).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no stage " + stage + " in the " + channel + " funnel"));
        }
    }

    /** The funnels of the messages one step sent, and the conversions counted on that step. */
    public record StepFunnels(String step, List<Funnel> funnels, long conversions) {
    }

    /** How often messages of a channel were deferred or skipped for one reason; channel {@code any} when none applied. */
    public record ReasonCount(String channel, String action, String reason, long count) {
    }

    /** Counts of each UTC hour (or day, for a long campaign), every bucket between the first and the last. */
    public record Activity(String unit, List<String> buckets, List<Line> lines) {
    }

    /** One measure over time: {@code email.sent}, {@code engagement}... */
    public record Line(String key, String label, List<Long> values) {
        public long total() {
            return values.stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The experiment and goal of a campaign, read from the stats route's own reading of them ({@link Reading#of}), so
     * that the page and {@code GET /campaigns/{id}/stats} give the same numbers. {@code groups} is empty without an
     * experiment, {@code interval} null without a holdout, {@code goal} null without a goal.
     */
    public record ExperimentReport(List<Group> groups, String interval, GoalReport goal) {
        public ExperimentReport {
            groups = List.copyOf(groups);
        }

        public Group group(String id) {
            return groups.stream().filter(g -> g.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no group " + id + " in the experiment"));
        }
    }

    /**
     * A group of the experiment, each variant in the experiment's order and then the holdout: the share of the audience
     * it is meant to get, its contacts, the messages it was sent per channel, its goal conversions and their rate, and
     * for a variant its lift over the holdout ({@code null} for the holdout, and when there is none).
     */
    public record Group(String id, double share, long contacts, long emailSent, long smsSent, long conversions,
                        double conversionRate, LiftReport lift) {
        public boolean holdout() {
            return Experiment.HOLDOUT.equals(id);
        }
    }

    /**
     * A variant's conversion rate minus the holdout's, with its 95% interval [{@code low}, {@code high}], the relative
     * lift ({@code null} when the holdout converted nobody) and the call: {@code too-small}, {@code better},
     * {@code worse} or {@code no-difference-yet}.
     */
    public record LiftReport(double difference, double low, double high, Double relative, String call) {
    }

    /**
     * The goal, its conversions, and those credited last-touch to each channel and step (by channel, then step);
     * {@code notCredited} had no message of the campaign before them in the window (the holdout's, for one).
     */
    public record GoalReport(String event, String within, long conversions, List<Credit> credited, long notCredited) {
        public GoalReport {
            credited = List.copyOf(credited);
        }
    }

    /** Goal conversions credited to the last message before them: its channel and step. */
    public record Credit(String channel, String step, long conversions) {
    }

    /** A campaign's report from its counters ({@code CampaignStore.stats}) and hourly counters ({@code CampaignStore.series}). */
    public static CampaignReport of(Campaign campaign, Map<String, Long> raw, Map<String, Long> series) {
        Map<String, Object> stats = Stats.of(raw);
        List<StepFunnels> steps = new ArrayList<>();
        for (String step : steps(campaign, raw)) {
            Map<String, Long> own = Stats.ofStep(raw, step);
            Map<String, Object> ownStats = Stats.of(own);
            List<Funnel> funnels = new ArrayList<>();
            for (Channel ch : channelsOf(step, own)) {
                funnels.add(funnel(ch, ownStats));
            }
            steps.add(new StepFunnels(step, funnels, own.getOrDefault("conversion", 0L)));
        }
        List<ReasonCount> reasons = new ArrayList<>();
        for (String channel : List.of("email", "sms", "any")) {
            for (String action : List.of("deferred", "skipped")) {
                Stats.byReason(raw, channel + "." + action + ".").forEach((reason, n) -> {
                    if (n > 0) {
                        reasons.add(new ReasonCount(channel, action, reason, n));
                    }
                });
            }
        }
        return new CampaignReport(campaign.id(), campaign.topic() == null ? campaign.id() : campaign.topic(),
                campaign.playbook().wire(), stats, List.of(funnel(Channel.EMAIL, stats), funnel(Channel.SMS, stats)),
                (Long) stats.get("conversions"), steps, reasons, activity(series), experimentOf(campaign, raw));
    }

    /** The experiment section of a campaign with an experiment or a goal, from {@link Reading#of}; null without either. */
    @SuppressWarnings("unchecked")
    static ExperimentReport experimentOf(Campaign campaign, Map<String, Long> raw) {
        if (campaign.experiment() == null && campaign.goal() == null) {
            return null;
        }
        Map<String, Object> reading = Reading.of(campaign.experiment(), campaign.goal(), raw);
        List<Group> groups = new ArrayList<>();
        String interval = null;
        Map<String, Object> e = (Map<String, Object>) reading.get("experiment");
        if (e != null) {
            ((Map<String, Map<String, Object>>) e.get("variants")).forEach((id, g) -> groups.add(group(id, g)));
            if (e.get("holdout") != null) {
                groups.add(group(Experiment.HOLDOUT, (Map<String, Object>) e.get("holdout")));
            }
            interval = (String) e.get("interval");
        }
        GoalReport goal = null;
        Map<String, Object> g = (Map<String, Object>) reading.get("goal");
        if (g != null) {
            List<Credit> credited = new ArrayList<>();
            ((Map<String, Map<String, Long>>) g.get("attributed")).forEach((channel, bySteps) ->
                    bySteps.forEach((step, n) -> credited.add(new Credit(channel, step, n))));
            long conversions = (Long) g.get("conversions");
            long creditedTotal = credited.stream().mapToLong(Credit::conversions).sum();
            goal = new GoalReport((String) g.get("event"), (String) g.get("within"), conversions, credited,
                    Math.max(0, conversions - creditedTotal));
        }
        return new ExperimentReport(groups, interval, goal);
    }

    @SuppressWarnings("unchecked")
    private static Group group(String id, Map<String, Object> g) {
        Map<String, Long> sent = (Map<String, Long>) g.get("sent");
        Map<String, Object> l = (Map<String, Object>) g.get("lift");
        LiftReport lift = null;
        if (l != null) {
            List<Double> ci = (List<Double>) l.get("ci95");
            lift = new LiftReport((Double) l.get("difference"), ci.get(0), ci.get(1), (Double) l.get("relative"), (String) l.get("call"));
        }
        return new Group(id, (Double) g.get("share"), (Long) g.get("contacts"), sent.get("email"), sent.get("sms"),
                (Long) g.get("conversions"), (Double) g.get("conversionRate"), lift);
    }

    /** Email: sent, delivered, opened by people, clicked. SMS: sent, delivered, clicked by people, replied. */
    @SuppressWarnings("unchecked")
    static Funnel funnel(Channel channel, Map<String, Object> stats) {
        Map<String, Object> c = (Map<String, Object>) stats.get(channel.wire());
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("sent", (Long) c.get("sent")));
        stages.add(new Stage("delivered", (Long) c.get("delivered")));
        if (channel == Channel.EMAIL) {
            stages.add(new Stage("opened", ((Map<String, Long>) c.get("opens")).get("human")));
            stages.add(new Stage("clicked", (Long) c.get("clicks")));
        } else {
            stages.add(new Stage("clicked", (Long) c.get("clicks")));
            stages.add(new Stage("replied", (Long) c.get("replies")));
        }
        return new Funnel(channel.wire(), stages);
    }

    /**
     * The campaign's steps in the order its playbook takes them, then its triggers', then any other step its counters
     * name (a step of an earlier definition of the campaign).
     */
    static List<String> steps(Campaign campaign, Map<String, Long> raw) {
        Set<String> out = new LinkedHashSet<>();
        switch (campaign.playbook()) {
            case EMAIL_FIRST -> {
                out.add(Steps.EMAIL);
                out.add(Steps.SMS);
            }
            case SMS_FIRST -> {
                out.add(Steps.SMS);
                out.add(Steps.EMAIL);
            }
            case BEST_CHANNEL -> out.add(Steps.MESSAGE);
        }
        if (campaign.clickNoConversion() != null) {
            out.add(Steps.CLICK_NO_CONVERSION);
        }
        if (campaign.smsReply() != null) {
            out.add(Steps.SMS_REPLY);
        }
        out.addAll(Stats.steps(raw));
        return List.copyOf(out);
    }

    /** The channels a step's funnels are drawn for: those it has counters of, else the channel it sends on. */
    private static List<Channel> channelsOf(String step, Map<String, Long> own) {
        List<Channel> out = new ArrayList<>();
        for (Channel ch : Channel.values()) {
            if (own.keySet().stream().anyMatch(k -> k.startsWith(ch.wire() + "."))) {
                out.add(ch);
            }
        }
        if (out.isEmpty()) {
            switch (step) {
                case Steps.EMAIL, Steps.SMS_REPLY -> out.add(Channel.EMAIL);
                case Steps.SMS, Steps.CLICK_NO_CONVERSION -> out.add(Channel.SMS);
                default -> out.addAll(List.of(Channel.values()));
            }
        }
        return out;
    }

    /** What the activity chart draws, each the sum of these counters. */
    private static final Map<String, List<String>> LINES = new LinkedHashMap<>();
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        line("email.sent", "email sent", List.of("email.sent"));
        line("sms.sent", "SMS sent", List.of("sms.sent"));
        line("engagement", "engagement (human opens, clicks, replies)", List.of("email.open.human", "email.click", "sms.click", "sms.reply"));
        line("conversion", "conversions", List.of("conversion"));
        line("deferred", "deferred", List.of());
        line("skipped", "skipped", List.of());
    }

    private static void line(String key, String label, List<String> counters) {
        LINES.put(key, counters);
        LABELS.put(key, label);
    }

    /** Which line a counter adds to, if any: decisions by their action, whatever the channel and reason. */
    private static String lineOf(String counter) {
        String[] parts = counter.split("\\.");
        if (parts.length >= 3 && (parts[1].equals("deferred") || parts[1].equals("skipped"))) {
            return parts[1];
        }
        for (Map.Entry<String, List<String>> e : LINES.entrySet()) {
            if (e.getValue().contains(counter)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The hourly counters ({@code 2026-11-27T05/email.sent}) as lines over every hour from the first to the last, with
     * zeros between; by day when that is more than {@link #MAX_HOURS} hours.
     */
    static Activity activity(Map<String, Long> series) {
        TreeMap<LocalDateTime, Map<String, Long>> byHour = new TreeMap<>();
        series.forEach((key, n) -> {
            int slash = key.indexOf('/');
            if (slash < 0) {
                return;
            }
            String line = lineOf(key.substring(slash + 1));
            if (line == null) {
                return;
            }
            LocalDateTime hour;
            try {
                hour = LocalDateTime.parse(key.substring(0, slash), HOUR);
            } catch (DateTimeParseException e) {
                return;
            }
            byHour.computeIfAbsent(hour, h -> new TreeMap<>()).merge(line, n, Long::sum);
        });
        if (byHour.isEmpty()) {
            return new Activity("hour", List.of(), LINES.keySet().stream().map(k -> new Line(k, LABELS.get(k), List.<Long>of())).toList());
        }
        LocalDateTime first = byHour.firstKey();
        LocalDateTime last = byHour.lastKey();
        boolean daily = ChronoUnit.HOURS.between(first, last) + 1 > MAX_HOURS;
        ChronoUnit unit = daily ? ChronoUnit.DAYS : ChronoUnit.HOURS;
        LocalDateTime from = first.truncatedTo(unit);
        LocalDateTime to = last.truncatedTo(unit);
        Map<LocalDateTime, Integer> index = new LinkedHashMap<>();
        List<String> buckets = new ArrayList<>();
        for (LocalDateTime t = from; !t.isAfter(to); t = t.plus(1, unit)) {
            index.put(t, buckets.size());
            buckets.add((daily ? DAY : HOUR).format(t));
        }
        Map<String, long[]> values = new LinkedHashMap<>();
        LINES.keySet().forEach(k -> values.put(k, new long[buckets.size()]));
        byHour.forEach((hour, counts) -> {
            int i = index.get(hour.truncatedTo(unit));
            counts.forEach((line, n) -> values.get(line)[i] += n);
        });
        List<Line> lines = new ArrayList<>();
        values.forEach((k, v) -> lines.add(new Line(k, LABELS.get(k), java.util.Arrays.stream(v).boxed().toList())));
        return new Activity(daily ? "day" : "hour", buckets, lines);
    }

    /** As the page's embedded JSON holds it. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", name);
        out.put("playbook", playbook);
        out.put("stats", stats);
        out.put("funnels", funnels.stream().map(CampaignReport::funnelMap).toList());
        out.put("conversions", conversions);
        out.put("steps", steps.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.step());
            m.put("funnels", s.funnels().stream().map(CampaignReport::funnelMap).toList());
            m.put("conversions", s.conversions());
            return m;
        }).toList());
        out.put("reasons", reasons.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", r.channel());
            m.put("action", r.action());
            m.put("reason", r.reason());
            m.put("count", r.count());
            return m;
        }).toList());
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("unit", activity.unit());
        a.put("buckets", activity.buckets());
        a.put("lines", activity.lines().stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", l.key());
            m.put("label", l.label());
            m.put("values", l.values());
            return m;
        }).toList());
        out.put("activity", a);
        if (experiment != null) {
            out.put("experiment", experimentMap(experiment));
        }
        return out;
    }

    private static Map<String, Object> experimentMap(ExperimentReport e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groups", e.groups().stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.id());
            m.put("holdout", g.holdout());
            m.put("share", g.share());
            m.put("contacts", g.contacts());
            Map<String, Object> sent = new LinkedHashMap<>();
            sent.put("email", g.emailSent());
            sent.put("sms", g.smsSent());
            m.put("sent", sent);
            m.put("conversions", g.conversions());
            m.put("conversionRate", g.conversionRate());
            if (g.lift() != null) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("difference", g.lift().difference());
                l.put("ci95", List.of(g.lift().low(), g.lift().high()));
                l.put("relative", g.lift().relative());
                l.put("call", g.lift().call());
                m.put("lift", l);
            }
            return m;
        }).toList());
        out.put("interval", e.interval());
        if (e.goal() != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("event", e.goal().event());
            g.put("within", e.goal().within());
            g.put("conversions", e.goal().conversions());
            g.put("credited", e.goal().credited().stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("channel", c.channel());
                m.put("step", c.step());
                m.put("conversions", c.conversions());
                return m;
            }).toList());
            g.put("notCredited", e.goal().notCredited());
            out.put("goal", g);
        } else {
            out.put("goal", null);
        }
        return out;
    }

    private static Map<String, Object> funnelMap(Funnel f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", f.channel());
        m.put("stages", f.stages().stream().map(s -> {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("name", s.name());
            st.put("value", s.value());
            return st;
        }).toList());
        return m;
    }
}
