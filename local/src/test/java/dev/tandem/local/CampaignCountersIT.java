package dev.tandem.local;

import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoCampaignStore;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.ingest.CampaignStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign's counters on DynamoDB: totals, per step and per UTC hour each on small items of their own (one write
 * unit each), read back summed over shards; an hour's item expires with the timeline's retention.
 */
class CampaignCountersIT {
    private static String table;
    private static DynamoDecisionStore decisions;
    private static DynamoCampaignStore campaigns;

    @BeforeAll
    static void store() {
        table = Emulator.freshTable("counters");
        StoreConfig config = new StoreConfig(table, Duration.ofDays(400), 4);
        campaigns = new DynamoCampaignStore(Clients.dynamo(), config);
        decisions = new DynamoDecisionStore(Clients.dynamo(), config, new dev.tandem.aws.store.DynamoContactStore(Clients.dynamo(), config), campaigns);
    }

    @AfterAll
    static void drop() {
        new Bootstrap(Emulator.template()).dropTable(table);
    }

    private static Map<String, Long> counts(List<String> names) {
        Map<String, Long> out = new TreeMap<>();
        names.forEach(n -> out.merge(n, 1L, Long::sum));
        return out;
    }

    @Test
    void totalsStepsAndHoursAreReadBackSummedOverShards() {
        Instant five = Instant.parse("2026-12-01T05:10:00Z");
        Instant six = Instant.parse("2026-12-01T06:59:00Z");
        for (String contact : List.of("ana", "bo", "cy", "dee", "eli")) {
            decisions.count("winter", contact, counts(CampaignStats.keyed("email.sent", "email-1", five)));
        }
        decisions.count("winter", "ana", counts(CampaignStats.keyed(List.of("sms.sent", "sms.deferred.quiet-hours"), "sms-1", six)));

        Map<String, Long> stats = campaigns.stats("winter");
        assertEquals(5L, stats.get("email.sent"));
        assertEquals(1L, stats.get("sms.sent"));
        assertEquals(5L, stats.get("step/email-1/email.sent"));
        assertEquals(1L, stats.get("step/sms-1/sms.deferred.quiet-hours"));
        assertTrue(stats.keySet().stream().noneMatch(k -> k.startsWith("at/") || k.contains("T0")), stats.toString());

        Map<String, Long> series = campaigns.series("winter");
        assertEquals(Map.of("2026-12-01T05/email.sent", 5L, "2026-12-01T06/sms.sent", 1L,
                "2026-12-01T06/sms.deferred.quiet-hours", 1L), series);

        List<Map<String, AttributeValue>> items = Emulator.itemsMentioning(table, "CAMPAIGN#winter");
        for (Map<String, AttributeValue> item : items) {
            int bytes = item.toString().length();
            assertTrue(bytes < 1024, "a counters item stays under a kilobyte, one write unit: " + item);
            String sk = item.get("SK").s();
            assertEquals(sk.startsWith("SERIES#"), item.containsKey("expiresAt"), sk);
        }
        assertTrue(items.stream().anyMatch(i -> i.get("SK").s().startsWith("STEP#email-1#")));
    }
}
