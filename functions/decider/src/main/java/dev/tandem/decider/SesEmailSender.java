package dev.tandem.decider;

import dev.tandem.aws.Sdk;
import dev.tandem.port.EmailSender;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Email through SES v2 {@code SendEmail}: simple content with HTML and text, the List-Unsubscribe headers,
 * the tandem-* message tags and the configuration set that publishes engagement back to Tandem.
 */
public final class SesEmailSender implements EmailSender {
    private static volatile SesV2Client shared;

    private final SesV2Client ses;
    private final String from;
    private final String configurationSet;

    public SesEmailSender(SesV2Client ses, String from, String configurationSet) {
        this.ses = Objects.requireNonNull(ses, "ses");
        this.from = Objects.requireNonNull(from, "from");
        this.configurationSet = configurationSet;
    }

    public static synchronized SesV2Client client() {
        if (shared == null) {
            shared = SesV2Client.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.providerOverrides()).build();
        }
        return shared;
    }

    @Override
    public String send(Email email) {
        List<MessageHeader> headers = new ArrayList<>();
        email.headers().forEach((k, v) -> headers.add(MessageHeader.builder().name(k).value(v).build()));
        List<MessageTag> tags = new ArrayList<>();
        email.tags().forEach((k, v) -> tags.add(MessageTag.builder().name(k).value(v).build()));
        try {
            return ses.sendEmail(r -> {
                r.fromEmailAddress(from)
                        .destination(d -> d.toAddresses(email.to()))
                        .content(c -> c.simple(m -> m
                                .subject(s -> s.data(email.subject()).charset("UTF-8"))
                                .body(b -> b.html(h -> h.data(email.html()).charset("UTF-8"))
                                        .text(t -> t.data(email.text()).charset("UTF-8")))
                                .headers(headers)))
                        .emailTags(tags);
                if (configurationSet != null) {
                    r.configurationSetName(configurationSet);
                }
            }).messageId();
        } catch (TooManyRequestsException | LimitExceededException | SendingPausedException | AccountSuspendedException e) {
            // Nothing wrong with this message: it can go when SES takes sends again.
            throw new ProviderThrottledException("SES: " + code(e));
        } catch (AwsServiceException e) {
            if (e.isThrottlingException()) {
                throw new ProviderThrottledException("SES: " + code(e));
            }
            if (e.statusCode() >= 400 && e.statusCode() < 500) {
                throw new ProviderRejectedException("SES refused: " + code(e)
                        + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorMessage()));
            }
            throw e;
        }
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }
}
