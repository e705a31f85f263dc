package dev.tandem.local;

import dev.tandem.audience.Member;
import dev.tandem.aws.Env;
import dev.tandem.aws.store.Clients;
import dev.tandem.aws.store.DynamoCampaignStore;
import dev.tandem.aws.store.DynamoContactStore;
import dev.tandem.aws.store.DynamoDecisionStore;
import dev.tandem.aws.store.DynamoSummaries;
import dev.tandem.aws.store.StoreConfig;
import dev.tandem.port.AudienceStore;
import dev.tandem.port.ContactStore;
import dev.tandem.timeline.TimelineEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tandem summaries rebuild}: every contact's engagement summary written anew from its timeline, shard by shard.
 * What a stack needs once after an upgrade that brought summaries (the stream starts at the latest record), and after
 * SummaryFunction dead-lettered a batch. Against the local stack, or a deployed table named with {@code --table}.
 */
final class SummaryRebuild {
    private SummaryRebuild() {
    }

    static int run(Template template, List<String> args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(template.environment("SummaryFunction"));
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--table" -> env.put("TABLE_NAME", args.get(i + 1));
                case "--shards" -> env.put("SHARDS", args.get(i + 1));
                case "--retention-days" -> env.put("RETENTION_DAYS", args.get(i + 1));
                default -> {
                    System.err.println("usage: ./tandem summaries rebuild [--table NAME] [--shards N] [--retention-days N]");
                    return 2;
                }
            }
        }
        StoreConfig config = StoreConfig.from(new Env(env));
        DynamoContactStore contacts = new DynamoContactStore(Clients.dynamo(), config);
        AudienceStore audiences = new DynamoDecisionStore(Clients.dynamo(), config, contacts, new DynamoCampaignStore(Clients.dynamo(), config));
        DynamoSummaries summaries = new DynamoSummaries(Clients.dynamo(), config);
        Instant now = Instant.now();
        long rebuilt = 0;
        for (int shard = 0; shard < config.shards(); shard++) {
            String cursor = null;
            do {
                AudienceStore.MemberPage page = audiences.members(shard, cursor, 500);
                for (Member m : page.members()) {
                    summaries.rebuild(m.contact().id(), timeline(contacts, m.contact().id()), now);
                    rebuilt++;
                }
                cursor = page.next();
            } while (cursor != null);
            System.err.printf("  shard %d of %d: %,d contacts so far%n", shard + 1, config.shards(), rebuilt);
        }
        System.out.printf("{\"table\":\"%s\",\"contacts\":%d}%n", config.table(), rebuilt);
        return 0;
    }

    private static List<TimelineEvent> timeline(ContactStore contacts, String id) {
        List<TimelineEvent> all = new ArrayList<>();
        String next = null;
        do {
            ContactStore.TimelinePage page = contacts.timeline(id, 100, next);
            all.addAll(page.items());
            next = page.next();
        } while (next != null);
        return all;
    }
}
