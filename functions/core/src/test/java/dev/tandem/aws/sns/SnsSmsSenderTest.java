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

    /** What Publish was asked, from an SNS client that answers every call with one message id. */
    private static java.util.List<software.amazon.awssdk.services.sns.model.PublishRequest> published(
            java.util.function.Consumer<SnsSmsSender> send) {
        java.util.List<software.amazon.awssdk.services.sns.model.PublishRequest> out = new java.util.ArrayList<>();
        software.amazon.awssdk.services.sns.SnsClient sns = (software.amazon.awssdk.services.sns.SnsClient) java.lang.reflect.Proxy.newProxyInstance(
                SnsSmsSenderTest.class.getClassLoader(), new Class<?>[]{software.amazon.awssdk.services.sns.SnsClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("publish") && args[0] instanceof software.amazon.awssdk.services.sns.model.PublishRequest r) {
                        out.add(r);
                        return software.amazon.awssdk.services.sns.model.PublishResponse.builder().messageId("m" + out.size()).build();
                    }
                    return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                });
        send.accept(new SnsSmsSender(sns, "+18005550199", null));
        return out;
    }

    @Test
    void eachMessageGoesWithTheSmsTypeOfWhatItIs() {
        var requests = published(s -> {
            s.send(new dev.tandem.port.SmsSender.Sms("+14155550101", "Your order shipped", true));
            s.send(new dev.tandem.port.SmsSender.Sms("+14155550101", "Winter sale", false));
        });

        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("Transactional", "Promotional"), requests.stream()
                .map(r -> r.messageAttributes().get("AWS.SNS.SMS.SMSType").stringValue()).toList());
        org.junit.jupiter.api.Assertions.assertEquals("+18005550199",
                requests.get(0).messageAttributes().get("AWS.MM.SMS.OriginationNumber").stringValue());
    }
}
