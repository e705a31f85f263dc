package dev.tandem.port;

/** Sends one SMS. The SNS adapter implements it; tests count calls on a fake. */
public interface SmsSender {

    /** Sends and returns the provider's message id. */
    String send(Sms sms);

    record Sms(String to, String text, boolean transactional) {
    }

    /** The provider refused for now; the message may go later. */
    final class Throttled extends RuntimeException {
        public Throttled(String message) {
            super(message, null, false, false);
        }
    }

    /** The provider refused for good, with its reason. */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
