package dev.tandem.port;

/** A provider refused a send for now (throttling): the message may go later. */
public final class ProviderThrottledException extends RuntimeException {
    public ProviderThrottledException(String message) {
        super(message, null, false, false);
    }
}
