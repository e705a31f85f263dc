package dev.tandem.local.bench;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A copy of a deployable jar with debug tables taken out of the AWS SDK's classes, to measure what that would
 * save. Not part of the build: the shipped jars keep them.
 */
final class JarStrip {
    /** What to take out of each SDK class. */
    enum Level {
        /** Local variable tables: only a debugger reads them. */
        LOCALS,
        /** Every debug attribute, line numbers included: SDK stack traces lose their lines. */
        ALL
    }

    private static final String SDK = "software/amazon/awssdk/";

    private JarStrip() {
    }

    static void copy(Path jar, Path to, Level level) throws IOException {
        try (InputStream raw = Files.newInputStream(jar);
             ZipInputStream in = new ZipInputStream(raw);
             OutputStream out = Files.newOutputStream(to);
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().startsWith(SDK) && e.getName().endsWith(".class")) {
                    bytes = strip(bytes, level);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }

    private static byte[] strip(byte[] bytes, Level level) {
        ClassWriter writer = new ClassWriter(0);
        ClassVisitor noLocals = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitLocalVariable(String n, String d, String s, Label start, Label end, int index) {
                        // dropped
                    }
                };
            }
        };
        new ClassReader(bytes).accept(noLocals, level == Level.ALL ? ClassReader.SKIP_DEBUG : 0);
        return writer.toByteArray();
    }
}
