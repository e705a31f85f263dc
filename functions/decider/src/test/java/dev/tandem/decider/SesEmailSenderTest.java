package dev.tandem.decider;

import dev.tandem.port.ProviderOutcomeUnknownException;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SesEmailSenderTest {

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code).build();
    }

    @Test
    void whatRefusesTheWholeAccountPausesTheChannel() {
        assertInstanceOf(ProviderUnavailableException.class, SesEmailSender.classify(SendingPausedException.builder()
                .statusCode(400).awsErrorDetails(details("SendingPausedException")).build()));
        assertInstanceOf(ProviderUnavailableException.class, SesEmailSender.classify(AccountSuspendedException.builder()
                .statusCode(400).awsErrorDetails(details("AccountSuspendedException")).build()));
        assertInstanceOf(ProviderUnavailableException.class, SesEmailSender.classify(LimitExceededException.builder()
                .statusCode(400).awsErrorDetails(details("LimitExceededException")).build()));
        assertInstanceOf(ProviderUnavailableException.class, SesEmailSender.classify(NotFoundException.builder()
                .statusCode(404).awsErrorDetails(details("NotFoundException")).build()), "an unknown configuration set");
        assertInstanceOf(ProviderUnavailableException.class, SesEmailSender.classify(AwsServiceException.builder()
                .statusCode(403).awsErrorDetails(details("AccessDeniedException")).build()));
    }

    @Test
    void aRejectedOrMalformedAddressFailsThatRecipientAlone() {
        RuntimeException r = SesEmailSender.classify(MessageRejectedException.builder()
                .statusCode(400).awsErrorDetails(details("MessageRejected")).build());
        assertInstanceOf(ProviderRejectedException.class, r);
        assertTrue(r.getMessage().contains("MessageRejected"));
        assertInstanceOf(ProviderRejectedException.class, SesEmailSender.classify(BadRequestException.builder()
                .statusCode(400).awsErrorDetails(details("BadRequestException")).build()));
    }

    @Test
    void throttlingWaitsAndAServerErrorLeavesTheOutcomeUnknown() {
        assertInstanceOf(ProviderThrottledException.class, SesEmailSender.classify(TooManyRequestsException.builder()
                .statusCode(429).awsErrorDetails(details("TooManyRequestsException")).build()));
        assertInstanceOf(ProviderOutcomeUnknownException.class, SesEmailSender.classify(AwsServiceException.builder()
                .statusCode(500).awsErrorDetails(details("InternalFailure")).build()));
    }
}
