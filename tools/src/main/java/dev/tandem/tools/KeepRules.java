package dev.tandem.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the shrinker may take out of a jar: for each named AWS SDK v2 service, the classes of its {@code model/} and
 * {@code transform/} packages that the operations to keep do not need. All else in the jar stays.
 *
 * <p>The layout relied on is the SDK's generated one: operation {@code Op} of service {@code s} is
 * {@code services/s/model/OpRequest}, {@code OpResponse} and {@code services/s/transform/OpRequestMarshaller}; the
 * service client ({@code SesV2Client}, {@code DefaultSesV2Client}), its paginators and its waiters name every
 * operation, so they are kept but are not where the closure starts (see {@link Shrinker}).
 */
record KeepRules(Map<String, Set<String>> operations) {
    static final String SERVICES = "software/amazon/awssdk/services/";

    KeepRules {
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("no service to shrink: give at least one service=Operation,...");
        }
        operations.forEach((service, ops) -> {
            if (service.isBlank() || service.contains("/") || ops.isEmpty()) {
                throw new IllegalArgumentException("a rule is service=Operation,Operation,...; got " + service + "=" + ops);
            }
        });
        operations = Map.copyOf(operations);
    }

    /** {@code sesv2=SendEmail,GetAccount}, one argument a service. */
    static KeepRules parse(List<String> rules) {
        Map<String, Set<String>> operations = new LinkedHashMap<>();
        for (String rule : rules) {
            int eq = rule.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("a rule is service=Operation,Operation,...; got " + rule);
            }
            Set<String> ops = new LinkedHashSet<>();
            for (String op : rule.substring(eq + 1).split("[,\\s]+")) {
                if (!op.isBlank()) {
                    ops.add(op.strip());
                }
            }
            if (operations.put(rule.substring(0, eq).strip(), Set.copyOf(ops)) != null) {
                throw new IllegalArgumentException("service named twice: " + rule);
            }
        }
        return new KeepRules(operations);
    }

    /** The service whose model or transform package holds the class, or null: only those classes may go. */
    String removableIn(String className) {
        String rest = inService(className);
        return rest != null && (rest.startsWith("model/") || rest.startsWith("transform/")) ? serviceOf(className) : null;
    }

    /**
     * The service clients ({@code SesV2Client}, {@code DefaultSesV2Client}): kept, since the SDK builds them, but never
     * followed, because they name every operation. What running them for the kept operations needs is a seed of its
     * own ({@link #seeds}); what the JVM loads of them without running them is found by asking it ({@link ClientLoads}).
     */
    boolean isClient(String className) {
        String rest = inService(className);
        if (rest == null) {
            return false;
        }
        String outer = rest.contains("$") ? rest.substring(0, rest.indexOf('$')) : rest;
        return !outer.contains("/") && outer.endsWith("Client");
    }

    /**
     * The paginators and waiters: not seeds, since only the clients name them all, but followed when kept code names
     * one, because then it runs.
     */
    boolean isPaginatorOrWaiter(String className) {
        String rest = inService(className);
        return rest != null && (rest.startsWith("paginators/") || rest.startsWith("waiters/"));
    }

    /** Where the closure starts inside the shrunk packages: the kept operations' requests, responses and marshallers. */
    List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        operations.forEach((service, ops) -> ops.forEach(op -> seeds.addAll(operationClasses(service, op))));
        return seeds;
    }

    /** What a client runs for one operation, besides what these name. */
    static List<String> operationClasses(String service, String operation) {
        String base = SERVICES + service + "/";
        return List.of(base + "model/" + operation + "Request", base + "model/" + operation + "Response",
                base + "transform/" + operation + "RequestMarshaller");
    }

    /**
     * The operation whose response this is, or null. Code that names a response calls its operation (the response is
     * in the client method's descriptor), so a response reached from kept code means its operation must work too.
     */
    String operationOfResponse(String className) {
        String service = removableIn(className);
        String model = service == null ? null : SERVICES + service + "/model/";
        if (model == null || !className.startsWith(model) || !className.endsWith("Response")
                || className.indexOf('$') >= 0) {
            return null;
        }
        return className.substring(model.length(), className.length() - "Response".length());
    }

    /** Every modeled exception stays: a client registers all of them when it is built. */
    static boolean isException(String className) {
        String simple = className.substring(className.lastIndexOf('/') + 1);
        return !simple.contains("$") && simple.endsWith("Exception");
    }

    /** The class's name inside its shrunk service's package ({@code model/SendEmailRequest}), or null. */
    private String inService(String className) {
        String service = serviceOf(className);
        return service == null ? null : className.substring(SERVICES.length() + service.length() + 1);
    }

    private String serviceOf(String className) {
        if (!className.startsWith(SERVICES)) {
            return null;
        }
        String rest = className.substring(SERVICES.length());
        int slash = rest.indexOf('/');
        String service = slash < 0 ? null : rest.substring(0, slash);
        return service != null && operations.containsKey(service) ? service : null;
    }
}
