package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.Dispatch;
import dev.tandem.aws.Env;
import dev.tandem.aws.Metrics;
import dev.tandem.aws.Sdk;
import dev.tandem.aws.sns.SnsSmsSender;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.port.DecisionStore;
import dev.tandem.port.EmailSender;
import dev.tandem.port.SmsSender;
import dev.tandem.sender.SenderHandler;
import dev.tandem.aws.ses.SesEmailSender;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 1,000-contact launch sent by four senders at once, on the emulator, while SQS delivers jobs twice and senders
 * stop dead at the two places a crash costs something: before a send begins (the job is delivered again and sends),
 * and after the provider took the message but before it was recorded (the send is marked unknown after its lease,
 * never resent). Every contact gets its message exactly once, counted in what the emulator sent.
 */
class ExactlyOnceIT {
    private static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z"); // 09:00 in Los Angeles
    private static final int CONTACTS = 1000;
    private static final int SENDERS = 4;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final SimClock clock = new SimClock(T0);
    private final Random random = new Random(2026);
    private final AtomicInteger duplicated = new AtomicInteger();
    private final AtomicInteger crashedBeforeBegin = new AtomicInteger();
    private final AtomicInteger crashedAfterSend = new AtomicInteger();

    /** What a process dying looks like to the code it runs: an Error nothing in a handler catches. */
    static final class Crash extends Error {
        Crash(String where) {
            super("the sender stopped " + where, null, false, false);
        }
    }

    private synchronized boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @Test
    void fourSendersWithDuplicatesAndCrashesSendEveryMessageOfALaunchExactlyOnce() throws Exception {
        String table = Emulator.freshTable("exactly-once");
        Map<String, String> env = Map.of("TABLE_NAME", table, "SES_RATE_PER_SECOND", "100000", "SMS_RATE_PER_SECOND", "100000",
                "DECISION_ECHO", "0");
        LocalFunctions functions = new LocalFunctions(Emulator.template(), clock, env);
        LocalClient api = new LocalClient(functions);
        api.ok("PUT", "/templates/e-" + run, Map.of("channel", "email", "subject", "{{contact.firstName}}, {{campaign.topic}}",
                "body", "<p>Hi {{contact.firstName}}</p>"));
        api.ok("PUT", "/templates/s-" + run, Map.of("channel", "sms", "body", "{{contact.firstName}}: {{campaign.topic}} {{link}}"));
        api.ok("PUT", "/campaigns/mail-" + run, Map.of("topic", "Winter", "playbook", "email-first", "email", "e-" + run, "sms", "s-" + run));
        api.ok("PUT", "/campaigns/text-" + run, Map.of("topic", "Flash", "playbook", "sms-first", "email", "e-" + run, "sms", "s-" + run,
                "link", "https://shop.example.com/flash"));
        long t0 = System.nanoTime();
        List<String> mail = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            String id = "x" + i + "-" + run;
            api.ok("PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone(i), "timezone", "America/Los_Angeles",
                    "consent", Map.of("email", "subscribed", "sms", "subscribed"), "attributes", Map.of("firstName", "X" + i)));
            (i % 2 == 0 ? mail : text).add(id);
        }
        api.ok("POST", "/campaigns/mail-" + run + "/launch", Map.of("audience", mail));
        api.ok("POST", "/campaigns/text-" + run + "/launch", Map.of("audience", text));
        long t1 = System.nanoTime();

        // The decider claims every first step and queues its job.
        Map<?, ?> decided = (Map<?, ?>) dev.tandem.aws.Json.read(functions.invoke("DeciderFunction", "{\"source\":\"schedule\"}",
                functions.context("DeciderFunction", true)), "");
        assertEquals(CONTACTS, ((Map<?, ?>) decided.get("counts")).get("claimed"), decided.toString());
        long t2 = System.nanoTime();

        List<SenderHandler> senders = new ArrayList<>();
        Env senderEnv = new Env(functions.environment("SenderFunction"));
        for (int i = 0; i < SENDERS; i++) {
            senders.add(crashing(senderEnv));
        }
        try (SnsSqsPath queue = new SnsSqsPath(Emulator.template()); SqsClient sqs = SqsClient.builder().httpClient(Sdk.http())
                .overrideConfiguration(Sdk.overrides()).build()) {
            // Rounds of the event source: drained at a time, then the clock moves past the send lease so that a send
            // a crashed sender began is settled by its job's next delivery.
            for (int round = 0; round < 6 && queue.visible("SendQueue") > 0; round++) {
                drain(queue, sqs, senders);
                clock.advance(Duration.ofMinutes(4));
            }
            assertEquals(0, queue.visible("SendQueue"), "every job was taken");
        }

        long t3 = System.nanoTime();
        System.out.printf("ExactlyOnceIT: contacts and launches %.0f s, decider %.0f s, senders %.0f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        // This run's own messages: its contacts' addresses and numbers are its own.
        List<Moto.SentEmail> emails = Moto.emails().stream().filter(e -> e.to().stream().anyMatch(a -> a.endsWith("-" + run + "@example.com"))).toList();
        java.util.Set<String> numbers = new java.util.HashSet<>();
        for (int i = 0; i < CONTACTS; i++) {
            numbers.add(phone(i));
        }
        List<Moto.SentSms> sms = Moto.sms().stream().filter(s -> numbers.contains(s.phoneNumber())).toList();
        for (String id : mail) {
            assertEquals(1, emails.stream().filter(e -> e.to().contains(id + "@example.com")).count(), id);
        }
        for (int i = 1; i < CONTACTS; i += 2) {
            String number = phone(i);
            assertEquals(1, sms.stream().filter(s -> s.phoneNumber().equals(number)).count(), "x" + i);
        }
        assertEquals(CONTACTS / 2, emails.size());
        assertEquals(CONTACTS / 2, sms.size());
        System.out.println("ExactlyOnceIT: " + duplicated + " jobs delivered twice, " + crashedBeforeBegin + " senders stopped before a send began, "
                + crashedAfterSend + " after the provider took it");
        assertTrue(duplicated.get() > 0 && crashedBeforeBegin.get() > 0 && crashedAfterSend.get() > 0, "every fault happened");
        Map<?, ?> stats = api.ok("GET", "/campaigns/mail-" + run + "/stats", null).json();
        Map<?, ?> textStats = api.ok("GET", "/campaigns/text-" + run + "/stats", null).json();
        long counted = number(stats, "email", "sent") + number(stats, "email", "unknown") + number(textStats, "sms", "sent")
                + number(textStats, "sms", "unknown");
        // A sender that dies loses the counters of its batch (they are written when it ends), never counts one twice.
        assertTrue(counted <= CONTACTS && counted > CONTACTS * 8 / 10, "counted as sent or unknown: " + stats + " " + textStats);
    }

    private static long number(Map<?, ?> stats, String channel, String what) {
        Object c = stats.get(channel);
        return c instanceof Map<?, ?> m && m.get(what) instanceof Number n ? n.longValue() : 0;
    }

    /** Numbers of this run's own: a thousand of them, under a prefix drawn from the run. */
    private String phone(int i) {
        return String.format("+1971%07d", Math.floorMod(run.hashCode(), 9000) * 1000 + i);
    }

    /** One round: four pollers, each taking batches, some records delivered twice, some senders dying mid-batch. */
    private void drain(SnsSqsPath queue, SqsClient sqs, List<SenderHandler> senders) throws Exception {
        String url = Emulator.template().queueUrl("SendQueue");
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        List<SQSEvent> unacknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> pollers = new ArrayList<>();
            for (SenderHandler sender : senders) {
                pollers.add(pool.submit(() -> {
                    while (true) {
                        SQSEvent batch = queue.poll("SendQueue");
                        if (batch.getRecords().isEmpty()) {
                            return null;
                        }
                        for (SQSEvent.SQSMessage m : batch.getRecords()) {
                            if (chance(0.15)) {
                                // SQS's at-least-once delivery: the same job again, to whichever sender takes it.
                                sqs.sendMessage(r -> r.queueUrl(url).messageBody(m.getBody()));
                                duplicated.incrementAndGet();
                            }
                        }
                        SQSBatchResponse response;
                        try {
                            response = sender.handleRequest(batch, null);
                        } catch (Crash c) {
                            // Never acknowledged: SQS delivers the batch again after its visibility timeout.
                            unacknowledged.add(batch);
                            continue;
                        }
                        queue.acknowledge("SendQueue", batch, response);
                        if (!response.getBatchItemFailures().isEmpty()) {
                            unacknowledged.add(batch);
                        }
                    }
                }));
            }
            for (Future<?> f : pollers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // The visibility timeout ends: what was not deleted is delivered again.
        unacknowledged.forEach(b -> queue.makeVisible("SendQueue", b));
    }

    /** A sender whose process may stop before a send begins, or after the provider took the message. */
    private SenderHandler crashing(Env env) {
        DecisionStore real = DynamoDecisionStore.on(dev.tandem.aws.store.Clients.dynamo(), StoreConfig.from(env));
        DecisionStore store = (DecisionStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DecisionStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("begin") && chance(0.03)) {
                        crashedBeforeBegin.incrementAndGet();
                        throw new Crash("before a send began");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        EmailSender ses = new SesEmailSender(SesEmailSender.client(), env.require("SENDER_EMAIL"), env.optional("CONFIGURATION_SET"));
        SmsSender sns = new SnsSmsSender(SnsSmsSender.client(), env.optional("SMS_ORIGINATION_NUMBER"), env.optional("SMS_SENDER_ID"));
        EmailSender email = e -> afterSend(ses.send(e));
        SmsSender sms = m -> afterSend(sns.send(m));
        Dispatch dispatch = new Dispatch(store, email, sms, channel -> { },
                new Dispatch.Settings(env.require("PUBLIC_BASE_URL"), Duration.parse(env.require("CLAIM_LEASE")),
                        Duration.parse(env.require("SEND_LEASE")), 200, Duration.ofMinutes(1), 10, 0));
        return new SenderHandler(dispatch, clock, new Metrics(null));
    }

    private String afterSend(String messageId) {
        if (chance(0.03)) {
            crashedAfterSend.incrementAndGet();
            throw new Crash("after the provider took the message");
        }
        return messageId;
    }
}
