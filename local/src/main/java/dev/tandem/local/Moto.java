package dev.tandem.local;

import dev.tandem.aws.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the moto emulator keeps of every email and SMS sent ({@code GET /moto-api/data.json}). Tests and the
 * simulator read sent messages back from it; nothing in the functions knows it exists. The dump holds every
 * model moto tracks, table items included, so it is read once per question, not once per message.
 */
public final class Moto {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Moto() {
    }

    public record SentEmail(String id, String source, List<String> to, String subject, String body) {
    }

    public record SentSms(String messageId, String phoneNumber, String message) {
    }

    static String endpoint() {
        String e = System.getenv("AWS_ENDPOINT_URL");
        if (e == null || e.isBlank()) {
            throw new IllegalStateException("AWS_ENDPOINT_URL is not set");
        }
        return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }

    private static Map<String, Object> data() {
        return call(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/data.json")).build());
    }

    /**
     * The emulator's fault mode (local/emulator/tandem_moto.py): sets it when {@code config} is given (rate, services,
     * kinds, delay, seed), and answers the setting with what was injected so far.
     */
    public static Map<String, Object> faults(Map<String, Object> config) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint() + "/tandem/faults"));
        return call(config == null ? b.GET().build() : b.POST(HttpRequest.BodyPublishers.ofString(Json.write(config))).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return (Map<String, Object>) Json.read(r.body(), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<SentEmail> emails() {
        List<SentEmail> out = new ArrayList<>();
        Object ses = data().get("ses");
        if (ses instanceof Map<?, ?> m && m.get("Message") instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> msg = (Map<String, Object>) o;
                Map<String, Object> dest = (Map<String, Object>) msg.getOrDefault("destinations", Map.of());
                out.add(new SentEmail(String.valueOf(msg.get("id")), String.valueOf(msg.get("source")),
                        (List<String>) dest.getOrDefault("ToAddresses", List.of()),
                        String.valueOf(msg.get("subject")), String.valueOf(msg.get("body"))));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static List<SentSms> sms() {
        List<SentSms> out = new ArrayList<>();
        Object sns = data().get("sns");
        if (sns instanceof Map<?, ?> m && m.get("SMS") instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> msg = (Map<String, Object>) o;
                out.add(new SentSms(String.valueOf(msg.get("message_id")), String.valueOf(msg.get("phone_number")),
                        String.valueOf(msg.get("message"))));
            }
        }
        return out;
    }
}
