package dev.tandem.tools;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which of the removable classes (see {@link KeepRules}) stay.
 *
 * <p>Two reasons to stay. Reached: named, directly or through other reached classes, by a seed. The seeds are every
 * class outside the shrunk packages except the service clients, paginators and waiters; every modeled exception; and
 * the kept operations' requests, responses and marshallers. The JVM resolves names lazily, so a class missing from the
 * jar fails only when something loads it, and whatever the code that runs can load is reached. An operation whose
 * response is reached is kept whole even if the rules do not name it: some kept code calls it (the SDK's warm-up
 * providers call one operation of each service; DynamoDB's endpoint discovery calls DescribeEndpoints).
 *
 * <p>Loaded only: the clients are never followed, since they name every operation, but the JVM links them, and the
 * store proxies one; both load classes of operations that are never called ({@link ClientLoads}). Those stay as they
 * are, without what they name.
 */
final class Shrinker {
    /** The removable classes that stay, and why; those that go, counted by service. */
    record Plan(Set<String> reached, Set<String> loadedOnly, Map<String, Integer> removedByService,
                List<String> alsoCalled, List<String> unlinkable) {
        boolean keeps(String className) {
            return reached.contains(className) || loadedOnly.contains(className);
        }
    }

    private Shrinker() {
    }

    static Plan plan(Map<String, byte[]> classes, KeepRules rules, ClassLoader outside) {
        Reach reach = new Reach(classes, rules);
        for (String name : classes.keySet()) {
            boolean removable = rules.removableIn(name) != null;
            if (removable ? KeepRules.isException(name)
                    : !rules.isClient(name) && !rules.isPaginatorOrWaiter(name)) {
                reach.add(name);
            }
        }
        for (String seed : rules.seeds()) {
            if (!classes.containsKey(seed)) {
                throw new IllegalArgumentException("no class " + seed + " in the jar: is the operation named as the SDK names it?");
            }
            reach.add(seed);
        }
        reach.run();

        List<String> toLink = classes.keySet().stream()
                .filter(c -> rules.isClient(c) || rules.isPaginatorOrWaiter(c) && !reach.reached.contains(c)).toList();
        ClientLoads.Result linked = ClientLoads.of(classes, toLink, rules::isClient,
                c -> rules.removableIn(c) != null && !reach.reached.contains(c), outside);

        Set<String> kept = new TreeSet<>();
        Map<String, Integer> removed = new TreeMap<>();
        rules.operations().keySet().forEach(s -> removed.put(s, 0));
        for (String name : classes.keySet()) {
            String service = rules.removableIn(name);
            if (service != null && reach.reached.contains(name)) {
                kept.add(name);
            } else if (service != null && !linked.loaded().contains(name)) {
                removed.merge(service, 1, Integer::sum);
            }
        }
        return new Plan(Set.copyOf(kept), Set.copyOf(linked.loaded()), Map.copyOf(removed),
                List.copyOf(reach.alsoCalled), linked.unlinkable());
    }

    /** The closure over class names, never entering a client. */
    private static final class Reach {
        private final Map<String, byte[]> classes;
        private final KeepRules rules;
        private final Deque<String> work = new ArrayDeque<>();
        final Set<String> reached = new HashSet<>();
        final Set<String> alsoCalled = new TreeSet<>();

        Reach(Map<String, byte[]> classes, KeepRules rules) {
            this.classes = classes;
            this.rules = rules;
        }

        void add(String name) {
            if (classes.containsKey(name) && !rules.isClient(name) && reached.add(name)) {
                work.add(name);
                String op = rules.operationOfResponse(name);
                if (op != null) {
                    String service = rules.removableIn(name);
                    List<String> whole = KeepRules.operationClasses(service, op);
                    if (!rules.operations().get(service).contains(op) && whole.stream().allMatch(classes::containsKey)) {
                        alsoCalled.add(service + " " + op);
                        whole.forEach(this::add);
                    }
                }
            }
        }

        void run() {
            while (!work.isEmpty()) {
                References.of(classes.get(work.poll())).forEach(this::add);
            }
        }
    }
}
