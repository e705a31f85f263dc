package dev.tandem.local;

import dev.tandem.aws.store.Clients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The emulator the integration tests run against: the one {@code ./tandem test} starts and names in
 * {@code AWS_ENDPOINT_URL}. Resources come from template.yaml through the same bootstrap the launcher uses.
 */
final class Emulator {
    private static Template template;

    private Emulator() {
    }

    static synchronized Template template() {
        if (template == null) {
            String endpoint = System.getenv("AWS_ENDPOINT_URL");
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalStateException("the integration tests need an emulator: run them with ./tandem test");
            }
            // Counting (and, for the throttling tests, refusing) every SDK request: registered before any client exists.
            dev.tandem.aws.Sdk.addInterceptor(RequestCounter.INSTANCE);
            template = Template.load(root().resolve("template.yaml"));
            new Bootstrap(template).run();
        }
        return template;
    }

    static Path root() {
        return Path.of(System.getProperty("tandem.root", "..")).toAbsolutePath().normalize();
    }

    static LocalFunctions functions(Clock clock) {
        return new LocalFunctions(template(), clock);
    }

    /** A table of its own for a test class, named after it: what its sweeps find due is only its own. */
    static String freshTable(String prefix) {
        return new Bootstrap(template()).tableCopy("TandemTable", prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    static String table() {
        return template().physicalName("TandemTable");
    }

    static DynamoDbClient dynamo() {
        template();
        return Clients.dynamo();
    }

    /** Every item of the table that mentions a text in any key or attribute: a scan, which only tests do. */
    static List<Map<String, AttributeValue>> itemsMentioning(String text) {
        return itemsMentioning(table(), text);
    }

    static List<Map<String, AttributeValue>> itemsMentioning(String table, String text) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo().scan(b -> b.tableName(table).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : r.items()) {
                if (item.toString().contains(text)) {
                    out.add(item);
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
