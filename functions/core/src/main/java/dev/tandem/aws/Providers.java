package dev.tandem.aws;

import dev.tandem.contact.Channel;
import dev.tandem.port.ProviderOutcomeUnknownException;
import dev.tandem.port.ProviderUnavailableException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What a provider call that got no answer means, the same for SES and SNS. */
public final class Providers {
    private Providers() {
    }

    /**
     * A call that never reached the provider (no connection, even after the SDK's retries) sent nothing: the channel
     * is unavailable. Any other failure without an answer (a timeout, a connection cut after the request went) may
     * have sent the message: its outcome is unknown.
     */
    public static RuntimeException clientFailure(Channel channel, String provider, SdkClientException e) {
        if (Sdk.surelyNotTaken(e)) {
            return new ProviderUnavailableException(channel, provider + " unreachable: " + e.getClass().getSimpleName());
        }
        return new ProviderOutcomeUnknownException(provider + " gave no answer: " + e.getClass().getSimpleName());
    }
}
