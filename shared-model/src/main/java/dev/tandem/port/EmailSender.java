package dev.tandem.port;

import java.util.Map;

/**
 * Sends one email and returns the provider's message id. The SES v2 adapter implements it. Throws
 * {@link ProviderThrottledException} or {@link ProviderRejectedException}.
 */
public interface EmailSender {

    String send(Email email);

    /** {@code headers} carries List-Unsubscribe and List-Unsubscribe-Post; {@code tags} the tandem-* message tags. */
    record Email(String to, String subject, String html, String text, Map<String, String> headers, Map<String, String> tags) {
    }
}
