package dev.tandem.port;

/** A provider refused a send for good, with its reason (a rejected address, an invalid number...). */
public final class ProviderRejectedException extends RuntimeException {
    public ProviderRejectedException(String message) {
        super(message, null, false, false);
    }
}
