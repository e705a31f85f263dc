package dev.tandem.contact;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Permission to message a contact on one channel: the status, how it was given or withdrawn ({@code source}, one of
 * the {@code SOURCE_*} names), when, and the evidence that shows it (the consent text or its version, the keyword,
 * the IP address, the message it answered).
 */
public record Consent(ConsentStatus status, String source, Instant at, Map<String, String> evidence) {
    public static final String API = "api";
    public static final String IMPORT = "import";
    public static final String KEYWORD = "keyword";
    public static final String COMPLAINT = "complaint";
    public static final String BOUNCE = "bounce";
    public static final String UNSUBSCRIBE_LINK = "unsubscribe-link";
    public static final String DOUBLE_OPT_IN = "double-opt-in";

    public Consent {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        evidence = evidence == null || evidence.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public Consent(ConsentStatus status, String source, Instant at) {
        this(status, source, at, Map.of());
    }

    public boolean subscribed() {
        return status == ConsentStatus.SUBSCRIBED;
    }

    public boolean pending() {
        return status == ConsentStatus.PENDING;
    }

    public static Consent subscribed(String source, Instant at) {
        return new Consent(ConsentStatus.SUBSCRIBED, source, at);
    }

    public static Consent unsubscribed(String source, Instant at) {
        return new Consent(ConsentStatus.UNSUBSCRIBED, source, at);
    }

    /** Evidence from key, value pairs; a pair whose value is null or empty is left out. */
    public static Map<String, String> evidence(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null && !keyValues[i + 1].isEmpty()) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

    /** The same consent with this evidence added; null values are left out. */
    public Consent withEvidence(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(evidence);
        more.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                m.put(k, v);
            }
        });
        return new Consent(status, source, at, m);
    }
}
