package dev.tandem.aws.ses;

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
    private static final String FROM = "noreply@tandem.example.com";

    /** Classified as the sender from FROM would. */
    private static RuntimeException classify(String from, AwsServiceException e) {
        return SesEmailSender.classify(e, from);
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code).build();
    }

    @Test
    void whatRefusesTheWholeAccountPausesTheChannel() {
        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, SendingPausedException.builder()
                .statusCode(400).awsErrorDetails(details("SendingPausedException")).build()));
        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, AccountSuspendedException.builder()
                .statusCode(400).awsErrorDetails(details("AccountSuspendedException")).build()));
        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, LimitExceededException.builder()
                .statusCode(400).awsErrorDetails(details("LimitExceededException")).build()));
        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, NotFoundException.builder()
                .statusCode(404).awsErrorDetails(details("NotFoundException")).build()), "an unknown configuration set");
        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, AwsServiceException.builder()
                .statusCode(403).awsErrorDetails(details("AccessDeniedException")).build()));
    }

    @Test
    void aRejectedOrMalformedAddressFailsThatRecipientAlone() {
        RuntimeException r = classify(FROM, MessageRejectedException.builder()
                .statusCode(400).awsErrorDetails(details("MessageRejected")).build());
        assertInstanceOf(ProviderRejectedException.class, r);
        assertTrue(r.getMessage().contains("MessageRejected"));
        assertInstanceOf(ProviderRejectedException.class, classify(FROM, BadRequestException.builder()
                .statusCode(400).awsErrorDetails(details("BadRequestException")).build()));
    }

    @Test
    void throttlingWaitsAndAServerErrorLeavesTheOutcomeUnknown() {
        assertInstanceOf(ProviderThrottledException.class, classify(FROM, TooManyRequestsException.builder()
                .statusCode(429).awsErrorDetails(details("TooManyRequestsException")).build()));
        assertInstanceOf(ProviderOutcomeUnknownException.class, classify(FROM, AwsServiceException.builder()
                .statusCode(500).awsErrorDetails(details("InternalFailure")).build()));
    }

    /**
     * A server that answers the first request on a connection, then reads the second (a SendEmail) and closes the
     * connection without a word: the email may have gone. The sender must report an unknown outcome having sent the
     * request once. With the SDK client's own retry conditions (useClientDefaults) it went three times.
     */
    @Test
    void aSendWhoseConnectionClosesBeforeTheAnswerIsSentOnceAndItsOutcomeIsUnknown() throws Exception {
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (!server.isClosed()) {
                        java.net.Socket s = server.accept();
                        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                                java.nio.charset.StandardCharsets.UTF_8));
                        java.io.OutputStream out = s.getOutputStream();
                        for (int request = 0; ; request++) {
                            String first = in.readLine();
                            if (first == null) {
                                break;
                            }
                            int length = 0;
                            for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                                if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                    length = Integer.parseInt(h.substring(15).trim());
                                }
                            }
                            in.skip(length);
                            if (first.contains("outbound-emails")) {
                                sends.incrementAndGet();
                                s.close();
                                break;
                            }
                            byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                    + "\r\nConnection: keep-alive\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            out.write(body);
                            out.flush();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the server closed
                }
            });
            t.setDaemon(true);
            t.start();
            software.amazon.awssdk.services.sesv2.SesV2Client ses = software.amazon.awssdk.services.sesv2.SesV2Client.builder()
                    .httpClient(dev.tandem.aws.Sdk.http())
                    .overrideConfiguration(dev.tandem.aws.Sdk.providerOverrides())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .endpointOverride(java.net.URI.create("http://127.0.0.1:" + server.getLocalPort()))
                    .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b"))
                    .build();
            ses.getAccount(r -> { }); // the connection is now kept alive
            SesEmailSender sender = new SesEmailSender(ses, "from@example.com", null);

            org.junit.jupiter.api.Assertions.assertThrows(ProviderOutcomeUnknownException.class, () -> sender.send(
                    new dev.tandem.port.EmailSender.Email("to@example.com", "s", "<p>b</p>", "b", java.util.Map.of(), java.util.Map.of())));
            org.junit.jupiter.api.Assertions.assertEquals(1, sends.get(), "sent once, never again underneath");
        }
    }

    @Test
    void aTestSendCarriesTheTandemTestTagInTheCharsetSesTakes() {
        java.util.List<software.amazon.awssdk.services.sesv2.model.SendEmailRequest> requests = new java.util.ArrayList<>();
        software.amazon.awssdk.services.sesv2.SesV2Client ses = new software.amazon.awssdk.services.sesv2.SesV2Client() {
            @Override
            public software.amazon.awssdk.services.sesv2.model.SendEmailResponse sendEmail(
                    software.amazon.awssdk.services.sesv2.model.SendEmailRequest request) {
                requests.add(request);
                return software.amazon.awssdk.services.sesv2.model.SendEmailResponse.builder().messageId("m-1").build();
            }

            @Override
            public String serviceName() {
                return "ses";
            }

            @Override
            public void close() {
            }
        };

        new SesEmailSender(ses, FROM, "tandem-set").send(new dev.tandem.port.EmailSender.Email("to@example.com", "[Test] s", "<p>b</p>",
                "b", java.util.Map.of(), java.util.Map.of(dev.tandem.app.TestSends.TAG, "true")));

        org.junit.jupiter.api.Assertions.assertEquals(1, requests.size());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(software.amazon.awssdk.services.sesv2.model.MessageTag.builder()
                .name("tandem-test").value("true").build()), requests.get(0).emailTags());
        org.junit.jupiter.api.Assertions.assertEquals("tandem-set", requests.get(0).configurationSetName(),
                "through the configuration set, so its events come back and can be set aside");
        requests.get(0).emailTags().forEach(t -> assertTrue(SesTags.fits(t.name()) && SesTags.fits(t.value()), t.toString()));
    }

    @Test
    void anUnverifiedSenderPausesEmailWhileAnUnverifiedSandboxRecipientFailsAlone() {
        String sender = "Email address is not verified. The following identities failed the check in region US-EAST-1: " + FROM;
        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, MessageRejectedException.builder()
                .statusCode(400).awsErrorDetails(AwsErrorDetails.builder().errorCode("MessageRejected").errorMessage(sender).build()).build()));
        String recipient = "Email address is not verified. The following identities failed the check in region US-EAST-1: ana@example.com";
        assertInstanceOf(ProviderRejectedException.class, classify(FROM, MessageRejectedException.builder()
                .statusCode(400).awsErrorDetails(AwsErrorDetails.builder().errorCode("MessageRejected").errorMessage(recipient).build()).build()));
    }

    @Test
    void aSpentDailyQuotaPausesTheChannelThoughSesAnswersItAsThrottling() {
        // SES's own words for a spent 24-hour quota, on a throttling error (the sending quota errors of the SES guide).
        AwsServiceException spent = TooManyRequestsException.builder().statusCode(429)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TooManyRequestsException").errorMessage("Daily message quota exceeded.").build())
                .build();
        AwsServiceException rate = TooManyRequestsException.builder().statusCode(429)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TooManyRequestsException").errorMessage("Maximum sending rate exceeded.").build())
                .build();

        assertInstanceOf(ProviderUnavailableException.class, classify(FROM, spent));
        assertInstanceOf(ProviderThrottledException.class, classify(FROM, rate));
    }
}
