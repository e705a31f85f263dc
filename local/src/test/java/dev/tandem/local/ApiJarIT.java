package dev.tandem.local;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ApiFunction's deployable, shrunk to the DynamoDB, SES and SNS operations it calls, run request by request in fresh
 * JVMs against the emulator: a contact's whole life (created, changed, sent a test email and a test SMS, posted an
 * event, exported, erased), so that every store and sender path the API takes loads from the jar itself.
 */
class ApiJarIT {
    private static final Path JAR = Emulator.root().resolve("functions/api/target/api-function.jar");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    Path dir;

    @Test
    void theShrunkJarIsTheOneUnderTest() throws Exception {
        ShrunkJar.assertShrunk(JAR, "software/amazon/awssdk/services/dynamodb/transform/TransactWriteItemsRequestMarshaller.class",
                "software/amazon/awssdk/services/dynamodb/transform/CreateTableRequestMarshaller.class", "functions/api");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContactsWholeLifeRunsFromTheShrunkJar() throws Exception {
        LocalFunctions functions = new LocalFunctions(Emulator.template(), Clock.systemUTC(),
                Map.of("TABLE_NAME", Emulator.freshTable("api-jar")));
        String id = "jar-" + run;
        String phone = "+1646" + String.format("%07d", Math.floorMod(run.hashCode(), 10_000_000));

        call(functions, "PUT", "/templates/hello-" + run, Map.of("channel", "email", "subject", "Hello {{contact.firstName}}",
                "body", "<p>Hi</p>"), 200);
        call(functions, "PUT", "/templates/ping-" + run, Map.of("channel", "sms", "body", "Ping {{contact.firstName}}"), 200);
        call(functions, "PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone,
                "consent", Map.of("email", "subscribed", "sms", "subscribed"), "attributes", Map.of("firstName", "Jo")), 201);
        call(functions, "PUT", "/contacts/" + id, Map.of("email", id + "@example.com", "phone", phone,
                "consent", Map.of("email", "subscribed", "sms", "unsubscribed"), "attributes", Map.of("firstName", "Jo")), 200);
        call(functions, "POST", "/templates/hello-" + run + "/test", Map.of("contact", id, "testId", "t1-" + run), 202);
        call(functions, "POST", "/templates/ping-" + run + "/test", Map.of("to", "+1646" + "5550100", "values", Map.of("firstName", "Me")), 202);
        call(functions, "POST", "/events", Map.of("eventId", "e-" + run, "contactId", id, "type", "conversion"), 200);
        Map<String, Object> export = call(functions, "GET", "/contacts/" + id + "/export", null, 200);
        call(functions, "DELETE", "/contacts/" + id, null, 204);

        assertEquals(3, ((List<Object>) export.get("consentHistory")).size(), String.valueOf(export.get("consentHistory")));
        assertEquals(1, Moto.emails().stream().filter(e -> e.to().contains(id + "@example.com")).count(), "SES from the jar");
        assertTrue(Moto.sms().stream().anyMatch(s -> s.message().equals("[Test] Ping Me")), "SNS from the jar");
    }

    /** One request through the jar's handler in a fresh JVM; the answer's body, decoded. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> call(LocalFunctions functions, String method, String path, Object body, int status) throws Exception {
        Map<String, Object> http = Map.of("method", method, "path", path, "sourceIp", "198.51.100.7");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("headers", Map.of("content-type", "application/json", "host", "localhost:3000"));
        event.put("requestContext", Map.of("domainName", "localhost:3000", "requestId", UUID.randomUUID().toString(), "http", http));
        event.put("isBase64Encoded", false);
        if (body != null) {
            event.put("body", Json.write(body));
        }
        ShrunkJar.Child child = ShrunkJar.run(JAR, "ApiFunction", functions, event, dir);
        child.assertClean();
        Map<String, Object> answer = child.answer();
        assertEquals(status, ((Number) answer.get("statusCode")).intValue(), method + " " + path + ": " + answer);
        Object text = answer.get("body");
        return text == null || String.valueOf(text).isEmpty() ? Map.of() : (Map<String, Object>) Json.read(String.valueOf(text), "body");
    }
}
