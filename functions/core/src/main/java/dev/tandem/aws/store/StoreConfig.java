package dev.tandem.aws.store;

import dev.tandem.aws.Env;

import java.time.Duration;
import java.util.Objects;

/** The table and its tuning, as template.yaml sets them. */
public record StoreConfig(String table, Duration retention, int shards) {
    public StoreConfig {
        Objects.requireNonNull(table, "table");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1");
        }
    }

    public static StoreConfig from(Env env) {
        return new StoreConfig(
                env.require("TABLE_NAME"),
                Duration.ofDays(env.requireInt("RETENTION_DAYS")),
                env.requireInt("SHARDS"));
    }
}
