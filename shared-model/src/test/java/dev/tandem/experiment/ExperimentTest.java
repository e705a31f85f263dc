package dev.tandem.experiment;

import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentTest {
    private static final Experiment TEN_AND_TWO = Experiment.parse("experiment", Map.of("holdout", 0.1,
            "variants", List.of(Map.of("id", "A", "weight", 1), Map.of("id", "B", "weight", 3, "playbook", "sms-first"))));

    @Test
    void assignmentIsAFunctionOfCampaignAndContact() {
        for (int i = 0; i < 200; i++) {
            String contact = "c" + i;
            assertEquals(TEN_AND_TWO.assign("winter", contact), TEN_AND_TWO.assign("winter", contact));
            Experiment again = Experiment.parse("experiment", TEN_AND_TWO.toMap());
            assertEquals(TEN_AND_TWO.assign("winter", contact), again.assign("winter", contact), "read back, it assigns the same");
        }
        long sameInOther = java.util.stream.IntStream.range(0, 1000)
                .filter(i -> TEN_AND_TWO.assign("winter", "c" + i).equals(TEN_AND_TWO.assign("spring", "c" + i))).count();
        assertTrue(sameInOther < 800, "another campaign draws anew: " + sameInOther + " of 1000 in the same group");
    }

    @Test
    void tenThousandContactsFallWithinOnePointOfTheWeights() {
        Map<String, Integer> counts = new HashMap<>();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            counts.merge(TEN_AND_TWO.assign("winter", "contact-" + i), 1, Integer::sum);
        }
        // holdout 10%; the other 90% split 1:3: A 22.5%, B 67.5%
        assertEquals(0.10, TEN_AND_TWO.share("holdout"), 1e-12);
        assertEquals(0.225, TEN_AND_TWO.share("A"), 1e-12);
        assertEquals(0.675, TEN_AND_TWO.share("B"), 1e-12);
        for (String g : List.of("holdout", "A", "B")) {
            double share = counts.getOrDefault(g, 0) / (double) n;
            assertEquals(TEN_AND_TWO.share(g), share, 0.01, g + " got " + share);
        }
    }

    @Test
    void badExperimentsAreRefusedNamingTheField() {
        assertEquals("experiment.holdout", assertThrows(InvalidInputException.class,
                () -> Experiment.parse("experiment", Map.of("holdout", 1.0))).field());
        assertEquals("experiment.variants[1].id", assertThrows(InvalidInputException.class, () -> Experiment.parse("experiment",
                Map.of("variants", List.of(Map.of("id", "A"), Map.of("id", "A"))))).field());
        assertEquals("experiment.variants[0].topic", assertThrows(InvalidInputException.class, () -> Experiment.parse("experiment",
                Map.of("holdout", 0.1, "variants", List.of(Map.of("id", "A", "topic", "x"))))).field());
        assertEquals("experiment", assertThrows(InvalidInputException.class, () -> Experiment.parse("experiment",
                Map.of("variants", List.of(Map.of("id", "A"))))).field());
        assertEquals("experiment.variants[0].weight", assertThrows(InvalidInputException.class, () -> Experiment.parse("experiment",
                Map.of("holdout", 0.2, "variants", List.of(Map.of("id", "A", "weight", 0))))).field());
    }

    @Test
    void aGoalsWindowIncludesBothEnds() {
        Goal g = Goal.parse("goal", Map.of("event", "conversion", "within", "P3D"));
        Instant first = Instant.parse("2026-12-01T10:00:00Z");
        assertTrue(g.inWindow(first, first));
        assertTrue(g.inWindow(first, first.plus(Duration.ofDays(3))));
        assertFalse(g.inWindow(first, first.plus(Duration.ofDays(3)).plusSeconds(1)));
        assertFalse(g.inWindow(first, first.minusSeconds(1)), "a conversion before the first message is not the campaign's");
        assertFalse(g.inWindow(null, first), "no message yet, no window");
        assertEquals("goal.event", assertThrows(InvalidInputException.class,
                () -> Goal.parse("goal", Map.of("event", "email.open"))).field());
        assertEquals(Duration.ofDays(7), Goal.parse("goal", Map.of("event", "custom.purchase")).within());
    }

    @Test
    void newcombesIntervalMatchesThePublishedExample() {
        // Newcombe (1998), Statistics in Medicine 17:873, table II, method 10 (hybrid score):
        // 56/70 against 48/80 gives 0.0524 to 0.3339; 9/10 against 3/10 gives 0.1705 to 0.8090.
        Lift l = Lift.of(56, 70, 48, 80);
        assertEquals(0.2, Lift.round(l.difference()), 1e-4);
        assertEquals(0.0524, Lift.round(l.low()), 1e-4);
        assertEquals(0.3339, Lift.round(l.high()), 1e-4);
        assertEquals("better", l.call());
        Lift small = Lift.of(9, 10, 3, 10);
        assertEquals(0.1705, Lift.round(small.low()), 1e-4);
        assertEquals(0.8090, Lift.round(small.high()), 1e-4);
        assertEquals("too-small", small.call(), "one non-conversion of ten: too few to call");
    }

    @Test
    void wilsonsIntervalByHand() {
        // 0 of 10, z = 1.96: centre (z²/2n) / (1 + z²/n) = 0.19207 / 1.38415 = 0.13877; half-width
        // z / (1 + z²/n) * sqrt(z² / 4n²) = 1.41602 * 0.09800 = 0.13877: [0, 0.2775]
        double[] w = Lift.wilson(0, 10);
        assertEquals(0.0, w[0], 1e-9);
        assertEquals(0.2775, Lift.round(w[1]), 1e-4);
        // Wald would give [0, 0] here, which is why it is not used.
    }

    @Test
    void aSmallSampleSaysSoAndAnIntervalAcrossZeroIsNoDifferenceYet() {
        assertEquals("too-small", Lift.of(3, 40, 0, 10).call());
        Lift l = Lift.of(30, 300, 25, 300);
        assertTrue(l.low() < 0 && l.high() > 0);
        assertEquals("no-difference-yet", l.call());
        assertNotEquals("better", Lift.of(10, 100, 60, 100).call());
        assertEquals("worse", Lift.of(10, 100, 60, 100).call());
    }
}
