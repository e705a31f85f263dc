package dev.tandem.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Takes out of a deployable jar the AWS SDK model and transform classes of the operations it never calls
 * ({@link KeepRules}, {@link Shrinker}).
 *
 * <pre>java dev.tandem.tools.Shrink in.jar out.jar dynamodb=GetItem,Query sesv2=SendEmail ...</pre>
 *
 * <p>In the build it runs as the shade plugin's shader ({@link ShrinkingShader}); this entry point is for trying rules
 * on a jar by hand.
 */
public final class Shrink {
    /** What one run did: the one line the build prints. */
    record Result(int entriesBefore, int entriesAfter, long bytesBefore, long bytesAfter,
                  Map<String, Integer> removedByService, int keptLoadedOnly, List<String> alsoCalled, int unlinkable) {
        @Override
        public String toString() {
            String removed = removedByService.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "shrink: %d entries %.2f MB -> %d entries %.2f MB; classes removed: %s;"
                            + " kept only to be loaded (verifier, proxies): %d; kept because kept code calls them: %s%s",
                    entriesBefore, bytesBefore / 1e6, entriesAfter, bytesAfter / 1e6, removed, keptLoadedOnly,
                    alsoCalled.isEmpty() ? "none" : String.join(", ", alsoCalled),
                    unlinkable == 0 ? "" : "; clients that do not link even unshrunk: " + unlinkable);
        }
    }

    private Shrink() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: Shrink in.jar out.jar service=Operation,Operation,... [service=...]");
            System.exit(2);
        }
        KeepRules rules = KeepRules.parse(Arrays.asList(args).subList(2, args.length));
        System.out.println(run(Path.of(args[0]), Path.of(args[1]), rules, ClassLoader.getPlatformClassLoader()));
    }

    /**
     * Writes the shrunk jar to {@code out}, which may be {@code in}: it is written beside it first, then moved.
     *
     * @param outside where the classes the jar does not hold come from when its clients are linked; the platform
     *                class loader for a complete deployable
     */
    static Result run(Path in, Path out, KeepRules rules, ClassLoader outside) throws IOException {
        long before = Files.size(in);
        Jar jar = Jar.read(in);
        Shrinker.Plan plan = Shrinker.plan(jar.classes(), rules, outside);
        // Beside the target, so that the move is a rename; not a temp file, whose owner-only mode would stick.
        Path tmp = out.resolveSibling(out.getFileName() + ".shrinking");
        try {
            jar.write(tmp, e -> !e.isClass() || rules.removableIn(e.className()) == null || plan.keeps(e.className()));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        int removed = plan.removedByService().values().stream().mapToInt(Integer::intValue).sum();
        return new Result(jar.entries().size(), jar.entries().size() - removed, before, Files.size(out),
                plan.removedByService(), plan.loadedOnly().size(), plan.alsoCalled(), plan.unlinkable().size());
    }
}
