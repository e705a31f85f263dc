package dev.tandem;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The domain knows nothing of AWS or Lambda: it imports only the JDK, itself and its Mustache engine. */
class DomainPurityTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> ALLOWED = List.of("java.", "dev.tandem.", "com.samskivert.mustache.");

    @Test
    void sharedModelImportsNothingFromAwsOrLambda() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> offending = new ArrayList<>();
        int files;
        try (Stream<Path> sources = Files.walk(main)) {
            List<Path> java = sources.filter(p -> p.toString().endsWith(".java")).toList();
            files = java.size();
            for (Path p : java) {
                String text = Files.readString(p);
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String imported = m.group(1);
                    if (ALLOWED.stream().noneMatch(imported::startsWith)) {
                        offending.add(main.relativize(p) + " imports " + imported);
                    }
                }
                if (text.contains("software.amazon") || text.contains("com.amazonaws")) {
                    offending.add(main.relativize(p) + " names an AWS package");
                }
            }
        }
        assertTrue(files > 10, "the scan found the domain's sources");
        assertEquals(List.of(), offending);
    }

    @Test
    void sharedModelPomDeclaresOnlyTheMustacheEngine() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        String dependencies = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(dependencies);
        List<String> artifacts = new ArrayList<>();
        while (m.find()) {
            artifacts.add(m.group(1));
        }
        assertEquals(List.of("jmustache"), artifacts);
    }
}
