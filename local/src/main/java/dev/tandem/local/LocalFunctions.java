package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tandem.aws.Env;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The functions of template.yaml, run in this process the way the Lambda Java runtime runs them:
 * the handler named by the template, its environment from the template, and the event read and the
 * response written by the runtime's own serialization library.
 */
public final class LocalFunctions {
    private final Template template;
    private final Clock clock;
    private final Map<String, String> overrides;
    private final Map<String, Object> handlers = new HashMap<>();

    public LocalFunctions(Template template, Clock clock) {
        this(template, clock, Map.of());
    }

    /** With environment variables set over the template's, for every function (a table of its own, a rate...). */
    public LocalFunctions(Template template, Clock clock, Map<String, String> overrides) {
        this.template = template;
        this.clock = clock;
        this.overrides = Map.copyOf(overrides);
    }

    public Template template() {
        return template;
    }

    /** The handler of a function, built once with its template environment and this clock. */
    public synchronized Object handler(String logicalId) {
        return handlers.computeIfAbsent(logicalId, id -> {
            String cls = template.handlerClass(id);
            try {
                Class<?> type = Class.forName(cls);
                Constructor<?> c = type.getConstructor(Env.class, Clock.class);
                return c.newInstance(new Env(environment(id)), clock);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new IllegalStateException("cannot start " + id + " (" + cls + "): " + cause.getMessage(), cause);
            }
        });
    }

    /**
     * The function's environment: template.yaml's, with the process's own AWS settings beside it. The emulator answers
     * one DynamoDB request at a time, so the decider and the senders work a few runs at once here, not dozens: more
     * would only queue in it until their requests time out.
     */
    public Map<String, String> environment(String logicalId) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SWEEP_THREADS", "4");
        env.put("SENDER_PARALLEL", "4");
        env.putAll(template.environment(logicalId));
        if (logicalId.equals("ImportFunction")) {
            // The emulator serves one DynamoDB request at a time: more writers only queue there, and a 60-write transaction
            // queued behind others outlasts the SDK's call timeout on a large table (BENCHMARKS.md, bulk import).
            env.put("IMPORT_WRITERS", "1");
        }
        env.putAll(overrides);
        return env;
    }

    /** Invokes a function on one JSON event and returns the JSON response. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String invoke(String logicalId, String eventJson, Context context) {
        summariesFirst(logicalId);
        Object h = handler(logicalId);
        if (h instanceof RequestStreamHandler s) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                s.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
        RequestHandler rh = (RequestHandler) h;
        Class<?> in = typeArgument(h.getClass(), 0);
        Class<?> outType = typeArgument(h.getClass(), 1);
        PojoSerializer inSer = LambdaEventSerializers.serializerFor(in, getClass().getClassLoader());
        Object input = inSer.fromJson(eventJson);
        Object output = rh.handleRequest(input, context);
        if (output == null) {
            return "null";
        }
        PojoSerializer outSer = LambdaEventSerializers.serializerFor(outType, getClass().getClassLoader());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        outSer.toJson(output, buf);
        return buf.toString(StandardCharsets.UTF_8);
    }

    /**
     * A decider tick as a deployment carries it out: the decider's invocation, then SendQueue's event source run until
     * the queue is empty, the senders at this process's clock. The answer is the decider's, with the senders' counts
     * added to its own and their decision lines after its lines.
     */
    @SuppressWarnings("unchecked")
    public String decideAndSend(String eventJson, Context context) {
        Map<String, Object> decided = (Map<String, Object>) dev.tandem.aws.Json.read(invoke("DeciderFunction", eventJson, context), "decider");
        if (decided.containsKey("error")) {
            return dev.tandem.aws.Json.write(decided);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>(decided);
        Map<String, Object> counts = new java.util.TreeMap<>();
        java.util.List<Object> lines = new java.util.ArrayList<>();
        // A contact with two runs due has the second decided by the next sweep, a minute later in AWS; here the decider
        // runs again at once, after the senders, so that a simulated tick decides all it would have.
        for (int pass = 0; ; pass++) {
            ((Map<String, Object>) decided.getOrDefault("counts", Map.of())).forEach((k, v) -> counts.merge(k, v,
                    (a, b) -> ((Number) a).intValue() + ((Number) b).intValue()));
            lines.addAll((java.util.List<Object>) decided.getOrDefault("decisions", java.util.List.of()));
            drained(counts, lines, out);
            Object busy = ((Map<String, Object>) decided.getOrDefault("counts", Map.of())).get("contact-busy");
            if (busy == null || pass >= 10) {
                break;
            }
            decided = (Map<String, Object>) dev.tandem.aws.Json.read(invoke("DeciderFunction", eventJson, context), "decider");
        }
        out.put("counts", counts);
        out.put("decisions", lines);
        return dev.tandem.aws.Json.write(out);
    }

    @SuppressWarnings("unchecked")
    private void drained(Map<String, Object> counts, java.util.List<Object> lines, Map<String, Object> out) {
        for (dev.tandem.app.Dispatch.Result r : sendQueue().drain(1)) {
            r.counts().forEach((k, v) -> counts.merge(k, v, (a, b) -> ((Number) a).intValue() + ((Number) b).intValue()));
            r.lines().forEach(l -> lines.add(l.toMap()));
            if (!r.paused().isEmpty()) {
                java.util.Set<String> paused = new java.util.TreeSet<>((java.util.Collection<String>) out.getOrDefault("paused", java.util.List.of()));
                r.paused().forEach(c -> paused.add(c.wire()));
                out.put("paused", java.util.List.copyOf(paused));
            }
        }
    }

    private SendQueueSource sendQueue;
    private StreamSource stream;

    /** The table stream's event source on the emulator, running this process's SummaryFunction. */
    public synchronized StreamSource stream() {
        if (stream == null) {
            stream = new StreamSource(this);
        }
        return stream;
    }

    /**
     * The API and the decider read segments: the engagement summaries are brought up to date first, as the stream's
     * event source has done within a second in AWS.
     */
    private void summariesFirst(String logicalId) {
        if (logicalId.equals("ApiFunction") || logicalId.equals("DeciderFunction")) {
            stream().drain();
        }
    }

    /** SendQueue's event source on the emulator, running this process's SenderFunction. */
    public synchronized SendQueueSource sendQueue() {
        if (sendQueue == null) {
            sendQueue = new SendQueueSource(this);
        }
        return sendQueue;
    }

    /** Invokes a function on a typed event, skipping JSON: what the simulator uses between real handlers. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <O> O call(String logicalId, Object event, Context context) {
        summariesFirst(logicalId);
        return (O) ((RequestHandler) handler(logicalId)).handleRequest(event, context);
    }

    public Context context(String logicalId, boolean quiet) {
        int timeout = intProperty(logicalId, "Timeout", 30);
        int memory = intProperty(logicalId, "MemorySize", 1024);
        return new LocalContext(template.physicalName(logicalId), timeout, memory, quiet);
    }

    private int intProperty(String logicalId, String name, int fallback) {
        Object own = template.properties(logicalId).get(name);
        if (own == null) {
            own = Template.path(Template.map(Template.path(template.resourcesRoot(), "Globals")), "Function", name);
        }
        return own == null ? fallback : Integer.parseInt(String.valueOf(own));
    }

    private static Class<?> typeArgument(Class<?> handler, int index) {
        for (Type t : handler.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type arg = p.getActualTypeArguments()[index];
                if (arg instanceof Class<?> c) {
                    return c;
                }
                if (arg instanceof ParameterizedType pt) {
                    return (Class<?>) pt.getRawType();
                }
            }
        }
        throw new IllegalStateException(handler.getName() + " does not implement RequestHandler with concrete types");
    }
}
