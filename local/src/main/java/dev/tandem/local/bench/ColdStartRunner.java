package dev.tandem.local.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM on one function's deployable jar, the way the Lambda Java runtime does: the handler's
 * no-argument constructor with the environment template.yaml sets, the event read and the answer written
 * by the runtime's serialization library. Prints the answer on one line and exits.
 */
public final class ColdStartRunner {
    private ColdStartRunner() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long inMain = System.currentTimeMillis();
        Class<?> type = Class.forName(args[0]);
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        Object handler = type.getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler s) {
            s.handleRequest(new ByteArrayInputStream(event), out, null);
        } else {
            Class<?> in = null;
            Class<?> ret = null;
            for (Type t : type.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    in = (Class<?>) p.getActualTypeArguments()[0];
                    ret = (Class<?>) p.getActualTypeArguments()[1];
                }
            }
            PojoSerializer inSer = LambdaEventSerializers.serializerFor(in, ColdStartRunner.class.getClassLoader());
            Object response = ((RequestHandler) handler).handleRequest(inSer.fromJson(new ByteArrayInputStream(event)), null);
            PojoSerializer outSer = LambdaEventSerializers.serializerFor(ret, ColdStartRunner.class.getClassLoader());
            outSer.toJson(response, out);
        }
        System.out.println(out.toString(StandardCharsets.UTF_8).replace('\n', ' '));
        System.out.flush();
        long answered = System.currentTimeMillis();
        // Where the time went, for whoever reads the bench's error stream.
        System.err.println("cold-start-phases jvm=" + (inMain - jvmStart) + "ms init=" + (constructed - inMain)
                + "ms first-request=" + (answered - constructed) + "ms");
        System.exit(0);
    }
}
