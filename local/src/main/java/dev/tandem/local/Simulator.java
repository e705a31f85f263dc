package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.aws.Env;
import dev.tandem.aws.Json;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoCampaignStore;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.campaign.Campaign;
import dev.tandem.port.ContactStore;
import dev.tandem.report.CampaignReport;
import dev.tandem.timeline.TimelineEvent;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code ./tandem simulate}: a scenario on a simulated clock, through the real handlers and the real store
 * on the emulator. Definitions, contacts, launches and conversions go through the HTTP API's handler;
 * provider notifications go to the ingestion functions as SQS records holding SNS envelopes of the SES or
 * SMS JSON, for the very messages the decider sent; the decider runs at start and every tick, as the
 * recurring schedule would. There is no second implementation of any rule here.
 */
public final class Simulator {
    /** Where the scenario's inbound SMS arrive: Tandem's own number. */
    static final String TANDEM_NUMBER = "+18005550199";

    private final Template template;
    private final Scenario scenario;
    private final PrintStream log;
    private final SimClock clock;
    private final LocalFunctions functions;
    private final LocalClient api;
    private final ContactStore contacts;
    private final Map<String, Map<String, Object>> people = new LinkedHashMap<>();
    private final List<Map<String, Object>> decisions = new ArrayList<>();
    private final List<Observation> observations = new ArrayList<>();

    /** Something a contact did in the scenario, for the conversation view. */
    public record Observation(Instant at, String contact, String channel, String what) {
    }

    /** Everything the run produced. */
    public record Result(List<Map<String, Object>> decisions, List<Observation> observations,
                         Map<String, Map<String, Object>> contacts, String table) {
    }

    public Simulator(Template template, Scenario scenario, Map<String, String> overrides, PrintStream log) {
        this.template = template;
        this.scenario = scenario;
        this.log = log;
        this.clock = new SimClock(scenario.start());
        Map<String, String> env = new LinkedHashMap<>(overrides);
        this.functions = new LocalFunctions(template, clock, env);
        this.api = new LocalClient(functions);
        this.contacts = new DynamoContactStore(Clients.dynamo(), StoreConfig.from(new Env(functions.environment("ApiFunction"))));
        scenario.contacts().forEach(c -> people.put(String.valueOf(c.get("id")), c));
    }

    /**
     * The environment a simulation runs with: a table of its own (with 4 shards: shards change where due work
     * is kept, not what is decided, and an empty sweep then costs 4 reads instead of 16), rates no emulator
     * needs, every decision echoed, and one run decided at a time.
     */
    public static Map<String, String> overrides(String table) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", table);
        env.put("SHARDS", "4");
        env.put("SES_RATE_PER_SECOND", "100000");
        env.put("SMS_RATE_PER_SECOND", "100000");
        env.put("DECISION_ECHO", "1000000");
        env.put("PUBLIC_BASE_URL", Scenario.LINK_BASE);
        // One run at a time, in the due index's order: a simulation decides the same way every time it runs.
        env.put("SWEEP_THREADS", "1");
        env.put("SENDER_PARALLEL", "1");
        return env;
    }

    /**
     * A campaign's report as {@code GET /campaigns/{id}/report} draws it, read from the simulation's table: the same
     * counters and the same {@link CampaignReport#of}.
     */
    public CampaignReport report(String campaignId) {
        DynamoCampaignStore store = new DynamoCampaignStore(Clients.dynamo(), StoreConfig.from(new Env(functions.environment("ApiFunction"))));
        Campaign c = store.campaign(campaignId).orElseThrow(() -> new IllegalArgumentException("no campaign " + campaignId + " in this simulation"));
        return CampaignReport.of(c, store.stats(campaignId), store.series(campaignId));
    }

    /** A campaign's stats as {@code GET /campaigns/{id}/stats} answers them, from the simulation's table. */
    public Map<String, Object> stats(String campaignId) {
        return api.ok("GET", "/campaigns/" + campaignId + "/stats", null).json();
    }

    public Result run() {
        setUp();
        List<Scenario.Event> pending = new ArrayList<>(scenario.events());
        int next = 0;
        for (Instant t = scenario.start(); !t.isAfter(scenario.until()); t = t.plus(scenario.tick())) {
            while (next < pending.size() && !pending.get(next).at().isAfter(t)) {
                Scenario.Event e = pending.get(next++);
                clock.set(e.at());
                ingest(e);
            }
            clock.set(t);
            decide(t);
        }
        decisions.sort(Comparator.comparing((Map<String, Object> d) -> (String) d.get("at")));
        autoReplies();
        consentChanges();
        // The stream's readers catch up, as they do within seconds in AWS: the events bucket then holds every record.
        functions.stream().drain();
        log.println("events out: every event and decision is on the bus " + template.physicalName("TandemBus")
                + " and in the emulator's bucket " + template.physicalName("EventsBucket") + " under events/dt=YYYY-MM-DD/ (docs/events-out.md)");
        return new Result(decisions, observations, people, null);
    }

    /**
     * The consent changes the run made (a STOP, a double opt-in's YES, a complaint, a bounce, an unsubscribe): part of the
     * conversation. What the scenario's own contacts were given at the start is not repeated.
     */
    private void consentChanges() {
        for (String id : people.keySet()) {
            for (dev.tandem.contact.ConsentEntry e : contacts.consentHistory(id)) {
                if (!dev.tandem.contact.Consent.API.equals(e.source()) && !dev.tandem.contact.Consent.IMPORT.equals(e.source())) {
                    observations.add(new Observation(e.at(), id, e.channel().wire(), "consent " + e.status() + " (" + e.source() + ")"));
                }
            }
        }
    }

    /** The SMS the ingestion answered with by itself (STOP confirmation, HELP text): part of the conversation. */
    private void autoReplies() {
        for (String id : people.keySet()) {
            String next = null;
            do {
                ContactStore.TimelinePage page = contacts.timeline(id, 100, next);
                for (TimelineEvent ev : page.items()) {
                    if (ev.type().equals("sms.sent") && ev.campaign() == null) {
                        observations.add(new Observation(ev.at(), id, "sms", "auto-reply (" + ev.step() + "): \"" + ev.data().get("text") + "\""));
                    }
                }
                next = page.next();
            } while (next != null);
        }
    }

    private void setUp() {
        // Templates first: the policy may name one (smsOptInTemplate).
        scenario.templates().forEach((id, def) -> api.ok("PUT", "/templates/" + id, def));
        if (scenario.policy() != null) {
            api.ok("PUT", "/policy", scenario.policy());
        }
        for (Map<String, Object> c : scenario.contacts()) {
            Map<String, Object> body = new LinkedHashMap<>(c);
            Object id = body.remove("id");
            api.ok("PUT", "/contacts/" + id, body);
        }
        scenario.segments().forEach((id, def) -> api.ok("PUT", "/segments/" + id, def));
        for (Scenario.CampaignSpec c : scenario.campaigns()) {
            api.ok("PUT", "/campaigns/" + c.id(), c.definition());
        }
        for (Scenario.CampaignSpec c : scenario.campaigns()) {
            Map<String, Object> launch = new LinkedHashMap<>();
            launch.put("launchId", "sim-" + c.id());
            launch.put("at", c.start().toString());
            if (c.audience() != null) {
                launch.put("audience", c.audience());
            }
            api.ok("POST", "/campaigns/" + c.id() + "/launch", launch);
        }
    }

    @SuppressWarnings("unchecked")
    private void decide(Instant t) {
        String out = functions.decideAndSend(
                Json.write(Map.of("source", "schedule", "scheduledTime", t.toString())), functions.context("DeciderFunction", true));
        Map<String, Object> r = (Map<String, Object>) Json.read(out, "");
        if (r.containsKey("error")) {
            throw new IllegalStateException("the decider refused its input: " + r);
        }
        decisions.addAll((List<Map<String, Object>>) r.get("decisions"));
    }

    // --- the scenario's events through the real ingestion path ---------------------------------

    private void ingest(Scenario.Event e) {
        String type = e.type();
        if (type.startsWith("email.")) {
            email(e);
        } else if (type.equals("sms.reply") || type.equals("sms.opt_out") || type.equals("sms.opt_in")) {
            String text = type.equals("sms.opt_out") ? "STOP" : type.equals("sms.opt_in") ? "START" : e.field("text");
            inboundSms(e, text);
        } else if (type.equals("sms.click")) {
            smsClick(e);
        } else if (type.equals("sms.delivered") || type.equals("sms.failed")) {
            smsStatus(e);
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("eventId", "sim-event-" + e.index());
            body.put("contactId", e.contact());
            body.put("type", type);
            body.put("at", e.at().toString());
            if (e.fields().get("value") != null) {
                body.put("value", e.fields().get("value"));
            }
            api.ok("POST", "/events", body);
            observe(e, null, type.equals("conversion") ? "converted" + (e.field("value") == null ? "" : " (" + e.field("value") + ")") : type);
        }
    }

    private Optional<TimelineEvent> last(String contact, String type) {
        String next = null;
        do {
            ContactStore.TimelinePage page = contacts.timeline(contact, 100, next);
            for (TimelineEvent ev : page.items()) {
                if (ev.type().equals(type)) {
                    return Optional.of(ev);
                }
            }
            next = page.next();
        } while (next != null);
        return Optional.empty();
    }

    private void email(Scenario.Event e) {
        Optional<TimelineEvent> sent = last(e.contact(), "email.sent");
        if (sent.isEmpty()) {
            log.println("simulate: events[" + e.index() + "] " + e.type() + " at " + e.at() + ": no email was sent to "
                    + e.contact() + " yet; the event is left out");
            return;
        }
        TimelineEvent m = sent.get();
        String to = String.valueOf(people.get(e.contact()).get("email"));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("tandem-contact", e.contact());
        tags.put("tandem-campaign", m.campaign());
        tags.put("tandem-step", m.step());
        Map<String, Object> mail = Notifications.mail(m.messageId(), to, m.at(), (String) m.data().get("subject"), tags);
        Map<String, Object> message;
        String what;
        switch (e.type()) {
            case "email.delivered" -> {
                message = Notifications.sesEvent("Delivery", mail, "delivery", Notifications.delivery(to, e.at()));
                what = "email delivered";
            }
            case "email.open" -> {
                message = Notifications.sesEvent("Open", mail, "open", Notifications.open(e.at(), e.field("userAgent"), e.field("ip")));
                what = dev.tandem.ingest.MachineOpens.isMachine(e.field("userAgent"), e.field("ip"))
                        ? "email opened by a machine (Apple Mail Privacy Protection)" : "opened the email";
            }
            case "email.click" -> {
                String link = e.field("link") == null ? "https://shop.example.com" : e.field("link");
                message = Notifications.sesEvent("Click", mail, "click", Notifications.click(e.at(), link, e.field("userAgent"), e.field("ip")));
                what = "clicked " + link;
            }
            case "email.bounce" -> {
                String bounceType = e.field("bounceType") == null ? "Permanent" : e.field("bounceType");
                message = Notifications.sesEvent("Bounce", mail, "bounce", Notifications.bounce(to, e.at(), bounceType));
                what = bounceType.toLowerCase(java.util.Locale.ROOT) + " bounce";
            }
            case "email.complaint" -> {
                message = Notifications.sesEvent("Complaint", mail, "complaint", Notifications.complaint(to, e.at()));
                what = "marked the email as spam";
            }
            case "email.unsubscribe" -> {
                message = Notifications.sesEvent("Subscription", mail, "subscription", Map.of("timestamp", e.at().toString(),
                        "source", "UnsubscribeHeader", "newTopicPreferences", Map.of("unsubscribeAll", true)));
                what = "unsubscribed from email";
            }
            default -> throw new IllegalStateException("unhandled " + e.type());
        }
        deliver("EmailEventsFunction", "SesEventsTopic", message, e);
        observe(e, "email", what);
    }

    private void inboundSms(Scenario.Event e, String text) {
        Object phone = people.get(e.contact()).get("phone");
        if (phone == null) {
            log.println("simulate: events[" + e.index() + "]: contact " + e.contact() + " has no phone; the reply is left out");
            return;
        }
        deliver("SmsEventsFunction", "SmsTopic",
                Notifications.inboundSms(String.valueOf(phone), TANDEM_NUMBER, text, "sim-inbound-" + e.index()), e);
        observe(e, "sms", "replied \"" + text + "\"");
    }

    private void smsClick(Scenario.Event e) {
        Optional<TimelineEvent> sms = last(e.contact(), "sms.sent");
        String text = sms.map(s -> String.valueOf(s.data().get("text"))).orElse("");
        int at = text.indexOf("/l/");
        if (at < 0) {
            log.println("simulate: events[" + e.index() + "]: the last SMS to " + e.contact() + " has no link; the click is left out");
            return;
        }
        String code = text.substring(at + 3).split("[^A-Za-z0-9_-]", 2)[0];
        api.ok("GET", "/l/" + code, null);
        observe(e, "sms", "tapped the SMS link");
    }

    private void smsStatus(Scenario.Event e) {
        Optional<TimelineEvent> sms = last(e.contact(), "sms.sent");
        if (sms.isEmpty()) {
            log.println("simulate: events[" + e.index() + "]: no SMS was sent to " + e.contact() + " yet; the status is left out");
            return;
        }
        boolean ok = e.type().equals("sms.delivered");
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("eventType", ok ? "TEXT_DELIVERED" : "TEXT_CARRIER_UNREACHABLE");
        status.put("eventVersion", "1.0");
        status.put("eventTimestamp", e.at().toEpochMilli());
        status.put("isFinal", true);
        status.put("originationPhoneNumber", TANDEM_NUMBER);
        status.put("destinationPhoneNumber", people.get(e.contact()).get("phone"));
        status.put("messageId", sms.get().messageId());
        status.put("messageStatus", ok ? "DELIVERED" : "CARRIER_UNREACHABLE");
        status.put("messageStatusDescription", ok ? "Message has been accepted by phone" : "The carrier could not be reached");
        deliver("SmsEventsFunction", "SmsTopic", status, e);
        observe(e, "sms", ok ? "SMS delivered" : "SMS failed");
    }

    /** Hands one notification to a function the way AWS does: an SQS record whose body is the SNS envelope. */
    private void deliver(String function, String topic, Map<String, Object> message, Scenario.Event e) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", UUID.randomUUID().toString());
        envelope.put("TopicArn", template.arn(topic));
        envelope.put("Message", Json.write(message));
        envelope.put("Timestamp", e.at().toString());
        envelope.put("SignatureVersion", "1");
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(UUID.randomUUID().toString());
        record.setReceiptHandle("sim-" + e.index());
        record.setBody(Json.write(envelope));
        record.setAttributes(Map.of("SentTimestamp", Long.toString(e.at().toEpochMilli()), "ApproximateReceiveCount", "1"));
        record.setEventSource("aws:sqs");
        record.setAwsRegion(template.region());
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(record));
        SQSBatchResponse r = functions.call(function, batch, functions.context(function, true));
        if (!r.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException(function + " refused events[" + e.index() + "] (" + e.type() + ")");
        }
    }

    private void observe(Scenario.Event e, String channel, String what) {
        observations.add(new Observation(e.at(), e.contact(), channel, what));
    }
}
