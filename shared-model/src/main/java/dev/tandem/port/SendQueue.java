package dev.tandem.port;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the decider puts the sends it claimed and the senders take them from. A job names the run and its claim;
 * the sender reads the rest, so a job is small and a duplicate of it is harmless.
 */
public interface SendQueue {

    /** Puts jobs on the queue, as few requests as the queue allows. */
    void put(List<Job> jobs);

    /** One claimed send: the run's key and the claim's token. */
    record Job(String contactId, String campaign, String occurrence, String token) {
        public Job {
            Objects.requireNonNull(contactId, "contactId");
            Objects.requireNonNull(campaign, "campaign");
            Objects.requireNonNull(occurrence, "occurrence");
            Objects.requireNonNull(token, "token");
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("contactId", contactId);
            m.put("campaign", campaign);
            m.put("occurrence", occurrence);
            m.put("token", token);
            return m;
        }

        /** A job from its map; a missing or mistyped field is named. */
        public static Job fromMap(Map<?, ?> m) {
            return new Job(text(m, "contactId"), text(m, "campaign"), text(m, "occurrence"), text(m, "token"));
        }

        private static String text(Map<?, ?> m, String field) {
            if (m.get(field) instanceof String s && !s.isEmpty()) {
                return s;
            }
            throw new dev.tandem.validation.InvalidInputException(field, "a send job needs " + field + " as a non-empty string");
        }
    }
}
