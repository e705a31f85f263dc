package dev.tandem.tools;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The classes the JVM loads to link the service clients, list their methods and proxy them, although the clients are
 * never followed. Three ways a class of an operation never called gets loaded all the same:
 *
 * <ul>
 * <li>Linking a class verifies all its methods, run or not, and the verifier loads a class whenever it must check
 * that a value of that class may go where a different class (not an interface, not Object) is expected. The generated
 * {@code DefaultSesV2Client.createContact} passes its {@code CreateContactRequest} to parameters of type
 * {@code SdkRequest}, so linking the client loads {@code CreateContactRequest}, though createContact never runs.</li>
 * <li>Listing a class's methods loads every type they name: every request and response class of the service.</li>
 * <li>A {@link java.lang.reflect.Proxy} of a client interface (the store wraps its {@code DynamoDbClient} in one) finds
 * its methods with {@code Class.forName(name)}, which initialises every request class, and their static initialisers
 * load the classes of their members.</li>
 * </ul>
 *
 * <p>None of this needs what those classes' own methods name, so they stay without being followed. Rather than restate
 * the JVM's rules, the JVM is asked: in a throwaway class loader that holds the whole input jar and records which
 * removable classes it is asked for, each client is linked and its methods listed, and each client interface proxied.
 * Any kept code may proxy any client, so all client interfaces are; the static initialisers this runs only build the
 * SDK's field descriptions.
 */
final class ClientLoads {
    /** What was loaded, and the classes that do not link even in the input jar (nothing to keep for them). */
    record Result(Set<String> loaded, List<String> unlinkable) {
    }

    private ClientLoads() {
    }

    /**
     * @param toLink the clients, and the paginators and waiters no kept code names
     * @param proxied which of the interfaces among them to proxy
     * @param outside where classes the jar does not hold come from: the platform's, for a complete deployable
     */
    static Result of(Map<String, byte[]> classes, Collection<String> toLink, Predicate<String> proxied,
                     Predicate<String> recorded, ClassLoader outside) {
        Recording loader = new Recording(classes, recorded, outside);
        List<String> unlinkable = new ArrayList<>();
        for (String name : toLink) {
            try {
                // Listing methods links the class first (verifying it); a proxy runs the static initialisers of the
                // classes its methods take, not the interface's own.
                Class<?> c = Class.forName(name.replace('/', '.'), false, loader);
                c.getMethods();
                if (c.isInterface() && proxied.test(name)) {
                    Proxy.newProxyInstance(loader, new Class<?>[] {c}, (proxy, method, args) -> null);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                unlinkable.add(name + " (" + e + ")");
            }
        }
        return new Result(loader.recorded, List.copyOf(unlinkable));
    }

    /** Defines the jar's own classes itself (child first), so that every load of one of them passes through here. */
    static final class Recording extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes;
        private final Predicate<String> record;
        final Set<String> recorded = new TreeSet<>();

        Recording(Map<String, byte[]> classes, Predicate<String> record, ClassLoader outside) {
            super("shrink-client-loads", outside);
            this.classes = classes;
            this.record = record;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String internal = name.replace('.', '/');
                    byte[] bytes = classes.get(internal);
                    if (bytes == null) {
                        return super.loadClass(name, resolve);
                    }
                    if (record.test(internal)) {
                        recorded.add(internal);
                    }
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
