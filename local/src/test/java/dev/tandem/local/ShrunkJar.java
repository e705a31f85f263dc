package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import dev.tandem.aws.Json;
import dev.tandem.local.bench.ColdStartRunner;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A function's deployable, the jar the build shrank (dev.tandem.tools.Shrink), run the way Lambda runs it: in a fresh JVM
 * whose classpath holds that jar and nothing of the project besides (the runtime's serialization library and the
 * one-class runner stand in for the Lambda runtime), with template.yaml's environment, on one event. A class the shrinker
 * wrongly removed fails only when something loads it, so the tests run the real paths.
 */
final class ShrunkJar {
    private static final Pattern MISSING_CLASS = Pattern.compile("NoClassDefFoundError|ClassNotFoundException|VerifyError");

    private ShrunkJar() {
    }

    /** What the child JVM did: its exit status, its output (the answer is the last line) and its error stream. */
    record Child(int exit, String out, String err) {
        void assertClean() {
            assertEquals(0, exit, "the function's JVM failed:\n" + err);
            assertFalse(MISSING_CLASS.matcher(out + err).find(), "a class the shrinker removed was needed:\n" + err);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> answer() {
            String[] lines = out.strip().split("\n");
            return (Map<String, Object>) Json.read(lines[lines.length - 1], "answer");
        }
    }

    /**
     * That {@code jar} is the one the shrinker made, within the 10 MB budget: it holds {@code kept} (an operation the
     * function calls) and not {@code removed} (one it does not).
     */
    static void assertShrunk(Path jar, String kept, String removed, String module) throws java.io.IOException {
        org.junit.jupiter.api.Assertions.assertTrue(Files.size(jar) <= 10_000_000,
                "the deployable is " + Files.size(jar) + " bytes; the budget is 10 MB");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            org.junit.jupiter.api.Assertions.assertNotNull(zip.getEntry(kept), kept);
            org.junit.jupiter.api.Assertions.assertNull(zip.getEntry(removed),
                    "built without the shrinker: run mvn -o package -pl " + module + " -am");
        }
    }

    /** The function's handler from {@code jar} in a fresh JVM, on {@code event}, with the function's environment. */
    static Child run(Path jar, String function, LocalFunctions functions, Object event, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "event", ".json");
        Files.writeString(file, Json.write(event));
        Path runner = dir.resolve("runner");
        String name = ColdStartRunner.class.getName().replace('.', '/') + ".class";
        if (!Files.exists(runner.resolve(name))) {
            Files.createDirectories(runner.resolve(name).getParent());
            try (InputStream in = ColdStartRunner.class.getClassLoader().getResourceAsStream(name)) {
                Files.write(runner.resolve(name), in.readAllBytes());
            }
        }
        String classpath = String.join(File.pathSeparator, jar.toString(), runner.toString(),
                jarOf(PojoSerializer.class), jarOf(org.joda.time.DateTime.class));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ColdStartRunner.class.getName(), Emulator.template().handlerClass(function), file.toString());
        pb.environment().clear();
        pb.environment().putAll(functions.environment(function));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(function + "'s JVM did not answer within a minute");
        }
        return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
