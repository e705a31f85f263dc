package dev.tandem.aws.ses;

import dev.tandem.aws.Sdk;
import dev.tandem.aws.Providers;
import dev.tandem.contact.Channel;
import dev.tandem.port.EmailSender;
import dev.tandem.port.ProviderOutcomeUnknownException;
import dev.tandem.port.ProviderRejectedException;
import dev.tandem.port.ProviderThrottledException;
import dev.tandem.port.ProviderUnavailableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
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
        // SES takes only [A-Za-z0-9_-] in a tag: ids with . or @ are encoded (SesTags), and decoded when events come back.
        email.tags().forEach((k, v) -> tags.add(MessageTag.builder().name(k).value(SesTags.encode(v)).build()));
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
        } catch (AwsServiceException e) {
            throw classify(e, from);
        } catch (SdkClientException e) {
            throw Providers.clientFailure(Channel.EMAIL, "SES", e);
        }
    }

    /**
     * What an SES refusal means for the rest of the sweep. Throttling: this message later. The account refusing
     * the whole channel (sending paused or suspended, a quota spent, an unknown configuration set or sender, access
     * denied): no email can go, the channel pauses. A server error: the outcome is unknown. Anything else refuses
     * this one message (a rejected or malformed address, content SES will not send).
     */
    static RuntimeException classify(AwsServiceException e, String from) {
        String code = code(e);
        String detail = "SES: " + code + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorMessage());
        String said = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage()).toLowerCase(java.util.Locale.ROOT);
        if (said.contains("daily message quota exceeded")) {
            // SES answers a spent 24-hour quota as throttling, but no email can go until the quota frees up: the channel
            // pauses (and ChannelPaused alarms), rather than every send coming back each minute.
            return new ProviderUnavailableException(Channel.EMAIL, detail);
        }
        if (e.isThrottlingException() || e instanceof TooManyRequestsException || e.statusCode() == 429) {
            return new ProviderThrottledException("SES: " + code);
        }
        if (e instanceof SendingPausedException || e instanceof AccountSuspendedException || e instanceof LimitExceededException
                || e instanceof MailFromDomainNotVerifiedException || e instanceof NotFoundException
                || e.statusCode() == 401 || e.statusCode() == 403) {
            return new ProviderUnavailableException(Channel.EMAIL, detail);
        }
        if (e.statusCode() >= 500) {
            return new ProviderOutcomeUnknownException(detail);
        }
        // SES answers an unverified sender (a first deploy before SenderEmail is verified) with MessageRejected, as it
        // answers a sandboxed account's unverified recipient: the sender named in it refuses every email, not this one.
        if (said.contains("not verified") && from != null && said.contains(from.toLowerCase(java.util.Locale.ROOT))) {
            return new ProviderUnavailableException(Channel.EMAIL, "SES: the sender " + from + " is not verified");
        }
        return new ProviderRejectedException("SES refused: " + code + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorMessage()));
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }
}
