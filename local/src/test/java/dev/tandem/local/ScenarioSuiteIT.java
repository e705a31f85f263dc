package dev.tandem.local;

import dev.tandem.aws.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scenario suite: every {@code events/scenarios/X.json} with an {@code X.expected.jsonl} beside it runs
 * through the simulator against the emulator; its decision lines must be the expected ones. A drift shows as
 * a readable diff. Link codes are random, so {@code /l/<code>} reads as {@code /l/{code}} on both sides.
 */
class ScenarioSuiteIT {

    @TestFactory
    Stream<DynamicTest> everyScenarioDecidesAsExpected() throws IOException {
        Path dir = Emulator.root().resolve("events/scenarios");
        List<Path> expected;
        try (Stream<Path> files = Files.list(dir)) {
            expected = files.filter(p -> p.toString().endsWith(".expected.jsonl")).sorted().toList();
        }
        return expected.stream().map(e -> DynamicTest.dynamicTest(e.getFileName().toString(), () -> {
            Path scenario = dir.resolve(e.getFileName().toString().replace(".expected.jsonl", ".json"));
            Template template = Emulator.template();
            String table = new Bootstrap(template).tableCopy("TandemTable", "suite-" + UUID.randomUUID().toString().substring(0, 8));
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Simulator.Result r;
            Path statsFile = dir.resolve(e.getFileName().toString().replace(".expected.jsonl", ".expected-stats.json"));
            java.util.Map<String, Object> statsWanted = Files.exists(statsFile)
                    ? Json.object(Json.read(Files.readString(statsFile), statsFile.getFileName().toString()), "") : java.util.Map.of();
            java.util.Map<String, Object> statsGot = new java.util.LinkedHashMap<>();
            try {
                Simulator sim = new Simulator(template, Scenario.read(scenario), Simulator.overrides(table),
                        new PrintStream(log, true, StandardCharsets.UTF_8));
                r = sim.run();
                // X.expected-stats.json: for each campaign it names, the sections of its stats it gives (its experiment
                // and goal, worked out by hand in the scenario's description).
                for (String campaign : statsWanted.keySet()) {
                    java.util.Map<String, Object> all = sim.stats(campaign);
                    java.util.Map<String, Object> some = new java.util.LinkedHashMap<>();
                    ((java.util.Map<?, ?>) statsWanted.get(campaign)).keySet().forEach(k -> some.put(String.valueOf(k), all.get(String.valueOf(k))));
                    statsGot.put(campaign, some);
                }
            } finally {
                new Bootstrap(template).dropTable(table);
            }
            if (!Json.write(statsWanted).equals(Json.write(statsGot))) {
                fail(scenario.getFileName() + "'s stats drifted from " + statsFile.getFileName() + ":\nwanted " + Json.write(statsWanted)
                        + "\ngot    " + Json.write(statsGot));
            }
            List<String> actual = new ArrayList<>();
            r.decisions().forEach(d -> actual.add(normalise(Json.write(d))));
            List<String> wanted = Files.readAllLines(e).stream().filter(l -> !l.isBlank()).map(ScenarioSuiteIT::normalise).toList();
            // The lines of one moment come in the order the senders finished them: compared in time order, then as text.
            actual.sort(ScenarioSuiteIT::byMoment);
            wanted = wanted.stream().sorted(ScenarioSuiteIT::byMoment).toList();
            if (!actual.equals(wanted)) {
                fail(scenario.getFileName() + " drifted from " + e.getFileName() + ":\n" + diff(wanted, actual)
                        + (log.size() == 0 ? "" : "\nsimulator log:\n" + log.toString(StandardCharsets.UTF_8)));
            }
        }));
    }

    /**
     * The double opt-in scenario beyond its decisions: the consent change it makes is part of the conversation, and the
     * confirmations and the pending number's skip are counted where a team reads them.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theDoubleOptInScenarioShowsItsConsentChangeAndCountsItsConfirmations() throws IOException {
        Template template = Emulator.template();
        String table = new Bootstrap(template).tableCopy("TandemTable", "suite-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Simulator sim = new Simulator(template, Scenario.read(Emulator.root().resolve("events/scenarios/double-opt-in.json")),
                    Simulator.overrides(table), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Simulator.Result r = sim.run();

            assertEquals(List.of("ana sms consent subscribed (double-opt-in)"), r.observations().stream()
                    .filter(o -> o.what().startsWith("consent "))
                    .map(o -> o.contact() + " " + o.channel() + " " + o.what()).toList(), "Ben never answered: no change of his");
            assertEquals(2, ((java.util.Map<String, Object>) sim.stats("tandem-sms-opt-in").get("sms")).get("sent"));
            assertEquals(java.util.Map.of("pending-consent", 1),
                    ((java.util.Map<String, Object>) sim.stats("sale").get("sms")).get("skipped"));
        } finally {
            new Bootstrap(template).dropTable(table);
        }
    }

    static int byMoment(String a, String b) {
        int at = moment(a).compareTo(moment(b));
        return at != 0 ? at : a.compareTo(b);
    }

    private static String moment(String line) {
        Object at = ((java.util.Map<?, ?>) Json.read(line, "line")).get("at");
        return at == null ? "" : String.valueOf(at);
    }

    static String normalise(String line) {
        return line.replaceAll("/l/[A-Za-z0-9_-]{22}", "/l/{code}");
    }

    /** A line diff: - expected only, + actual only, two spaces for both (longest common subsequence). */
    static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.append("  ").append(a.get(i++)).append('\n');
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append("+ ").append(b.get(j++)).append('\n');
            } else {
                out.append("- ").append(a.get(i++)).append('\n');
            }
        }
        return out.toString();
    }
}
