package dev.tandem.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a variant's conversion rate compares with the holdout's: the difference of the two rates, with Newcombe's
 * hybrid score interval at 95% (Newcombe 1998, method 10), built from each rate's Wilson score interval. Chosen over the
 * textbook Wald interval because campaign conversion rates are small and holdouts are small: Wald's interval collapses
 * to a point when a group has no conversion and covers far less than 95% near zero, where Wilson's and Newcombe's keep
 * their coverage (docs/experiments.md).
 */
public record Lift(double variantRate, double holdoutRate, double difference, double low, double high, String call) {
    /** The normal quantile of a two-sided 95% interval. */
    static final double Z = 1.959963984540054;
    /** Fewer conversions or non-conversions than this in a group: the normal approximation behind any interval is off. */
    public static final int MIN_EACH = 5;

    /**
     * @param converted contacts of the variant who converted, of {@code contacts}
     * @param held      contacts of the holdout who converted, of {@code heldContacts}
     */
    public static Lift of(long converted, long contacts, long held, long heldContacts) {
        double p1 = rate(converted, contacts);
        double p2 = rate(held, heldContacts);
        double[] w1 = wilson(converted, contacts);
        double[] w2 = wilson(held, heldContacts);
        double d = p1 - p2;
        double low = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
        double high = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
        String call;
        if (Math.min(Math.min(converted, contacts - converted), Math.min(held, heldContacts - held)) < MIN_EACH) {
            call = "too-small";
        } else if (low > 0) {
            call = "better";
        } else if (high < 0) {
            call = "worse";
        } else {
            call = "no-difference-yet";
        }
        return new Lift(p1, p2, d, low, high, call);
    }

    /** Wilson's score interval of {@code k} successes in {@code n}: [low, high]; [0, 1] for no trials. */
    static double[] wilson(long k, long n) {
        if (n <= 0) {
            return new double[]{0, 1};
        }
        double p = (double) k / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    public static double rate(long k, long n) {
        return n <= 0 ? 0 : (double) k / n;
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Rates and bounds rounded to four decimals, as the stats show them. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("difference", round(difference));
        m.put("ci95", java.util.List.of(round(low), round(high)));
        m.put("relative", holdoutRate > 0 ? round(variantRate / holdoutRate - 1) : null);
        m.put("call", call);
        return m;
    }

    public static double round(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }
}
