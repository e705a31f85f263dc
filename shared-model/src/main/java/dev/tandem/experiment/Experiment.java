package dev.tandem.experiment;

import dev.tandem.validation.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A campaign's experiment (docs/experiments.md): a fraction of the audience held out (enrolled, sent nothing, counted)
 * and the rest split across weighted variants, each of which may change the campaign's playbook, its parameters or its
 * templates. A contact's group is a function of the campaign's id and the contact's id alone, so a simulation, a
 * re-launch and every sweep agree without storing it.
 */
public record Experiment(double holdout, List<Variant> variants) {
    public static final String HOLDOUT = "holdout";
    /** What a variant may change of its campaign. */
    public static final Set<String> OVERRIDES = Set.of("playbook", "followUpAfter", "detailAfter", "urgent", "email", "sms");

    /** A variant: its id, its weight, and the campaign fields it sets. */
    public record Variant(String id, double weight, Map<String, Object> overrides) {
        public Variant {
            overrides = Map.copyOf(overrides);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("weight", weight);
            m.putAll(new java.util.TreeMap<>(overrides));
            return m;
        }
    }

    public Experiment {
        variants = List.copyOf(variants);
    }

    /** Reads {@code {"holdout": 0.1, "variants": [{"id": "A", "weight": 1, ...}]}}, naming the field of a problem. */
    public static Experiment parse(String field, Object raw) {
        Map<?, ?> m = dev.tandem.validation.Checks.object(field, raw, "experiment", List.of("holdout", "variants"));
        double holdout = 0;
        Object h = m.get("holdout");
        if (h != null) {
            if (!(h instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() >= 1) {
                throw new InvalidInputException(field + ".holdout", "holdout must be a number from 0 up to (not including) 1");
            }
            holdout = n.doubleValue();
        }
        Object vs = m.get("variants");
        List<Variant> variants = new ArrayList<>();
        if (vs != null) {
            if (!(vs instanceof List<?> l) || l.isEmpty() || l.size() > 10) {
                throw new InvalidInputException(field + ".variants", "variants must be an array of 1 to 10 variants");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < l.size(); i++) {
                String f = field + ".variants[" + i + "]";
                if (!(l.get(i) instanceof Map<?, ?> v)) {
                    throw new InvalidInputException(f, f + " must be an object");
                }
                if (!(v.get("id") instanceof String id) || !id.matches("[A-Za-z0-9_-]{1,32}") || id.equals(HOLDOUT)) {
                    throw new InvalidInputException(f + ".id", f + ".id must be 1 to 32 letters, digits, _ or -, and not holdout");
                }
                if (!ids.add(id)) {
                    throw new InvalidInputException(f + ".id", "variant " + id + " appears twice");
                }
                Object w = v.get("weight");
                double weight = 1;
                if (w != null) {
                    if (!(w instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > 1000) {
                        throw new InvalidInputException(f + ".weight", f + ".weight must be a number above 0 (at most 1000)");
                    }
                    weight = n.doubleValue();
                }
                Map<String, Object> overrides = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : v.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    if (k.equals("id") || k.equals("weight")) {
                        continue;
                    }
                    if (!OVERRIDES.contains(k)) {
                        throw new InvalidInputException(f + "." + k, "a variant may set " + String.join(", ", new java.util.TreeSet<>(OVERRIDES))
                                + ", not " + k);
                    }
                    overrides.put(k, e.getValue());
                }
                variants.add(new Variant(id, weight, overrides));
            }
        } else {
            variants.add(new Variant("A", 1, Map.of()));
        }
        if (holdout == 0 && variants.size() < 2) {
            throw new InvalidInputException(field, "an experiment needs a holdout or at least two variants: nothing would be compared");
        }
        return new Experiment(holdout, variants);
    }

    /** The contact's group: {@link #HOLDOUT} or a variant's id. */
    public String assign(String campaign, String contactId) {
        double u = unit(campaign, contactId);
        if (u < holdout) {
            return HOLDOUT;
        }
        double total = variants.stream().mapToDouble(Variant::weight).sum();
        double x = (u - holdout) / (1 - holdout) * total;
        double at = 0;
        for (Variant v : variants) {
            at += v.weight();
            if (x < at) {
                return v.id();
            }
        }
        return variants.get(variants.size() - 1).id();
    }

    /** The share of the whole audience a group is meant to get. */
    public double share(String group) {
        if (HOLDOUT.equals(group)) {
            return holdout;
        }
        double total = variants.stream().mapToDouble(Variant::weight).sum();
        return variants.stream().filter(v -> v.id().equals(group)).mapToDouble(v -> (1 - holdout) * v.weight() / total).sum();
    }

    public Variant variant(String id) {
        return variants.stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * A number in [0, 1) fixed by the campaign and the contact: the first 53 bits of SHA-256 of both. Uniform, so that
     * groups get their weights' shares, and unrelated across campaigns, so that one contact is not always held out.
     */
    static double unit(String campaign, String contactId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((campaign + "\u0000" + contactId).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (h[i] & 0xff);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("holdout", holdout);
        m.put("variants", variants.stream().map(Variant::toMap).toList());
        return m;
    }
}
