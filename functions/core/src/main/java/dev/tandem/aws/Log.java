package dev.tandem.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured log line per call. Inside Lambda the function's JSON logging config adds the request id
 * and level; outside it the line goes to standard error so that stdout stays the command's own.
 */
public final class Log {
    private Log() {
    }

    public static void info(Context ctx, String message, Map<String, ?> fields) {
        write(ctx, "INFO", message, fields, null);
    }

    public static void error(Context ctx, String message, Map<String, ?> fields, Throwable t) {
        write(ctx, "ERROR", message, fields, t);
    }

    private static void write(Context ctx, String level, String message, Map<String, ?> fields, Throwable t) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        if (fields != null) {
            line.putAll(fields);
        }
        if (t != null) {
            line.put("exception", t.getClass().getName());
            line.put("exceptionMessage", String.valueOf(t.getMessage()));
        }
        String text = Json.write(line);
        LambdaLogger logger = ctx == null ? null : ctx.getLogger();
        if (logger != null) {
            logger.log(text + "\n");
        } else if (!Boolean.getBoolean("tandem.quiet")) {
            System.err.println(text);
        }
    }
}
