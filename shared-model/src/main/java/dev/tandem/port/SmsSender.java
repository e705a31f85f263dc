package dev.tandem.port;

/**
 * Sends one SMS and returns the provider's message id. The SNS adapter implements it; tests count calls on
 * a fake. Throws {@link ProviderThrottledException} or {@link ProviderRejectedException}.
 */
public interface SmsSender {

    String send(Sms sms);

    record Sms(String to, String text, boolean transactional) {
    }
}
