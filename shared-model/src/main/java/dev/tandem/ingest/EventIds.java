package dev.tandem.ingest;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Event ids derived from what identifies a notification, so the same notification twice has the same id. */
public final class EventIds {
    private EventIds() {
    }

    public static String of(String prefix, String... parts) {
        StringBuilder b = new StringBuilder(prefix);
        for (String p : parts) {
            b.append('\u001f').append(p == null ? "" : p);
        }
        return prefix + "-" + UUID.nameUUIDFromBytes(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
