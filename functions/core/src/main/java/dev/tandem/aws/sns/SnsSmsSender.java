package dev.tandem.aws.sns;

import dev.tandem.aws.Providers;
import dev.tandem.aws.Sdk;
import dev.tandem.contact.Channel;
import dev.tandem.port.ProviderOutcomeUnknownException;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import dev.tandem.port.SmsSender;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * SMS through SNS {@code Publish} to a phone number, with the SMS type and the origination attributes.
 * Throttling (after the SDK's own backoff) and permanent refusals come back as the port's exceptions.
 */
public final class SnsSmsSender implements SmsSender {
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "KMSThrottling", "KMSThrottlingException");
    private static final Set<String> ACCOUNT = Set.of("AuthorizationError", "KMSAccessDenied", "KMSDisabled", "KMSInvalidState",
            "KMSNotFound", "KMSOptInRequired", "InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken",
            "AccessDenied", "AccessDeniedException");
    private static volatile SnsClient shared;

    private final SnsClient sns;
    private final String originationNumber;
    private final String senderId;

    public SnsSmsSender(SnsClient sns, String originationNumber, String senderId) {
        this.sns = Objects.requireNonNull(sns, "sns");
        this.originationNumber = originationNumber;
        this.senderId = senderId;
    }

    /** The SNS client, built once per process with the shared HTTP client and the SDK's default chains. */
    public static synchronized SnsClient client() {
        if (shared == null) {
            shared = SnsClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.providerOverrides()).build();
        }
        return shared;
    }

    @Override
    public String send(Sms sms) {
        Map<String, MessageAttributeValue> attrs = new HashMap<>();
        attrs.put("AWS.SNS.SMS.SMSType", text(sms.transactional() ? "Transactional" : "Promotional"));
        if (originationNumber != null) {
            attrs.put("AWS.MM.SMS.OriginationNumber", text(originationNumber));
        }
        if (senderId != null) {
            attrs.put("AWS.SNS.SMS.SenderID", text(senderId));
        }
        try {
            return sns.publish(r -> r.phoneNumber(sms.to()).message(sms.text()).messageAttributes(attrs)).messageId();
        } catch (AwsServiceException e) {
            throw classify(e);
        } catch (SdkClientException e) {
            throw Providers.clientFailure(Channel.SMS, "SNS", e);
        }
    }

    /**
     * What an SNS refusal means for the rest of the sweep. Throttling: this message later. Authorization (the
     * function may not publish, a key it may not use, credentials refused): no SMS can go, the channel pauses. A
     * server error: the outcome is unknown. Anything else refuses this one message (an invalid number...).
     */
    static RuntimeException classify(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
        String detail = "SNS: " + code + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorMessage());
        if (e.isThrottlingException() || THROTTLING.contains(code) || e.statusCode() == 429) {
            return new ProviderThrottledException("SNS throttled: " + code);
        }
        if (ACCOUNT.contains(code) || e.statusCode() == 401 || e.statusCode() == 403) {
            return new ProviderUnavailableException(Channel.SMS, detail);
        }
        if (e.statusCode() >= 500) {
            return new ProviderOutcomeUnknownException(detail);
        }
        return new ProviderRejectedException("SNS refused: " + code + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorMessage()));
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
