package dev.tandem.tools;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.tree.ClassNode;

import java.util.HashSet;
import java.util.Set;

/**
 * Every class a class file names: in its constant pool (instructions, member descriptors) and in its attributes
 * (generic signatures, annotations, inner classes). A remapper is asked for each of those names, so recording what it
 * is asked is the complete list, and the list ASM keeps up to date with new class file versions.
 */
final class References {
    private References() {
    }

    static Set<String> of(byte[] classFile) {
        Set<String> names = new HashSet<>();
        Remapper recorder = new Remapper() {
            @Override
            public String map(String internalName) {
                names.add(internalName);
                return internalName;
            }
        };
        // A tree node as the target, because a remapper only walks the method bodies its target asks for.
        new ClassReader(classFile).accept(new ClassRemapper(new ClassNode(), recorder), 0);
        return names;
    }
}
