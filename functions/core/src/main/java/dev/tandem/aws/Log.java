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

    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static volatile java.util.function.Consumer<String> tap;

    /**
     * Every line also goes here: what the tests read to prove that no address or number reaches a log. Nothing sets
     * it in a deployed function.
     */
    public static void tap(java.util.function.Consumer<String> lines) {
        tap = lines;
    }

    /**
     * No email address or phone number in a log line, whatever a field or an exception's message holds (an SES error
     * names the address it refused; a malformed notification may hold anything): they are written as {@code <email>}
     * and {@code <phone>}. Message texts are never handed to a log at all.
     */
    static String redact(String text) {
        if (text == null || (text.indexOf('@') < 0 && text.indexOf('+') < 0)) {
            return text;
        }
        return PHONE.matcher(EMAIL.matcher(text).replaceAll("<email>")).replaceAll("<phone>");
    }

    private static void write(Context ctx, String level, String message, Map<String, ?> fields, Throwable t) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        if (ctx != null && ctx.getAwsRequestId() != null) {
            line.put("requestId", ctx.getAwsRequestId());
        }
        if (fields != null) {
            line.putAll(fields);
        }
        if (t != null) {
            line.put("exception", t.getClass().getName());
            line.put("exceptionMessage", String.valueOf(t.getMessage()));
        }
        String text = redact(Json.write(line));
        java.util.function.Consumer<String> lines = tap;
        if (lines != null) {
            lines.accept(text);
        }
        LambdaLogger logger = ctx == null ? null : ctx.getLogger();
        if (logger != null) {
            // Bytes: the runtime's JSON log format would wrap a String into its own "message"; the line is JSON already.
            logger.log((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (!Boolean.getBoolean("tandem.quiet")) {
            System.err.println(text);
        }
    }
}
