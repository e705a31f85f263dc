package dev.tandem.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A jar read whole, in its entries' order: a shaded deployable is small enough to hold in memory. */
record Jar(List<Entry> entries) {
    record Entry(String name, long time, byte[] bytes) {
        boolean isClass() {
            return name.endsWith(".class");
        }

        /** The internal name of the class this entry holds ({@code a/b/C}). */
        String className() {
            return name.substring(0, name.length() - ".class".length());
        }
    }

    static Jar read(Path path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(path); ZipInputStream in = new ZipInputStream(raw)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(new Entry(e.getName(), e.getTime(), in.readAllBytes()));
            }
        }
        return new Jar(List.copyOf(entries));
    }

    /** The bytes of every class, by internal name. */
    Map<String, byte[]> classes() {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.isClass()) {
                classes.put(e.className(), e.bytes());
            }
        }
        return classes;
    }

    /** Writes the entries {@code keep} accepts, in the same order and with the same times. */
    void write(Path path, Predicate<Entry> keep) throws IOException {
        try (OutputStream raw = Files.newOutputStream(path); ZipOutputStream out = new ZipOutputStream(raw)) {
            // The deployable is read far more often than written: the best compression costs a second, once.
            out.setLevel(9);
            for (Entry e : entries) {
                if (keep.test(e)) {
                    ZipEntry z = new ZipEntry(e.name());
                    z.setTime(e.time());
                    out.putNextEntry(z);
                    out.write(e.bytes());
                    out.closeEntry();
                }
            }
        }
    }
}
