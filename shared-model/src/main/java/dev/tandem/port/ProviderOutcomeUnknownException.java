package dev.tandem.port;

/**
 * The provider call ended without an answer that says whether the message went (a timeout, a connection cut after
 * the request was written, a server error). Retrying could send it twice, so it is never retried: the message is
 * recorded as sent with an unknown outcome and counted so.
 */
public final class ProviderOutcomeUnknownException extends RuntimeException {
    public ProviderOutcomeUnknownException(String message) {
        super(message, null, false, false);
    }
}
