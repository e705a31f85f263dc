package dev.tandem.aws.sns;

import dev.tandem.port.ProviderOutcomeUnknownException;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SnsSmsSenderTest {

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void anAuthorizationOrKeyErrorPausesTheChannelRatherThanFailingTheRecipient() {
        assertInstanceOf(ProviderUnavailableException.class, SnsSmsSender.classify(error(403, "AuthorizationError")));
        assertInstanceOf(ProviderUnavailableException.class, SnsSmsSender.classify(error(400, "KMSAccessDenied")));
        assertInstanceOf(ProviderUnavailableException.class, SnsSmsSender.classify(error(403, "InvalidClientTokenId")));
    }

    @Test
    void aBadNumberFailsThatRecipientAloneAndThrottlingWaits() {
        assertInstanceOf(ProviderRejectedException.class, SnsSmsSender.classify(error(400, "InvalidParameter")));
        assertInstanceOf(ProviderThrottledException.class, SnsSmsSender.classify(error(400, "Throttling")));
        assertInstanceOf(ProviderThrottledException.class, SnsSmsSender.classify(error(429, "TooManyRequestsException")));
    }

    @Test
    void aServerErrorLeavesTheOutcomeUnknown() {
        assertInstanceOf(ProviderOutcomeUnknownException.class, SnsSmsSender.classify(error(500, "InternalError")));
    }
}
