package dev.tandem.aws.sns;

import dev.tandem.aws.Sdk;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.SmsSender;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
            "TooManyRequestsException", "RequestLimitExceeded", "KMSThrottlingException");
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
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.isThrottlingException() || THROTTLING.contains(code) || e.statusCode() == 429) {
                throw new ProviderThrottledException("SNS throttled: " + code);
            }
            if (e.statusCode() >= 400 && e.statusCode() < 500) {
                throw new ProviderRejectedException("SNS refused: " + code + (e.awsErrorDetails() == null ? ""
                        : " " + e.awsErrorDetails().errorMessage()));
            }
            throw e;
        }
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
