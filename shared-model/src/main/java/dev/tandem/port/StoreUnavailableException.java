package dev.tandem.port;

/**
 * The store did not answer, or answered that it could not now (a timeout, a server error, throttling that outlasted
 * the retries, a connection that failed). It says nothing about the work at hand, which is left as it is for later.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
