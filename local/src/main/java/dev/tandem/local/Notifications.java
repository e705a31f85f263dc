package dev.tandem.local;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Provider notifications in the exact shapes AWS publishes them: SES event publishing records (with
 * message tags) and identity notifications (without), and End User Messaging two-way SMS. The simulator
 * and the integration tests feed these through the real ingestion path.
 */
public final class Notifications {
    private Notifications() {
    }

    /** The {@code mail} object of an SES record; tags only when the email carried them. */
    public static Map<String, Object> mail(String messageId, String to, Instant sentAt, String subject, Map<String, String> tags) {
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("timestamp", sentAt.toString());
        mail.put("source", "noreply@tandem.example.com");
        mail.put("sourceArn", "arn:aws:ses:us-east-1:123456789012:identity/noreply@tandem.example.com");
        mail.put("sendingAccountId", "123456789012");
        mail.put("messageId", messageId);
        mail.put("destination", List.of(to));
        mail.put("headersTruncated", false);
        mail.put("headers", List.of(Map.of("name", "To", "value", to), Map.of("name", "Subject", "value", subject == null ? "" : subject)));
        mail.put("commonHeaders", Map.of("to", List.of(to), "messageId", messageId, "subject", subject == null ? "" : subject));
        if (tags != null && !tags.isEmpty()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("ses:configuration-set", List.of("SesConfigurationSet"));
            tags.forEach((k, v) -> t.put(k, List.of(v)));
            mail.put("tags", t);
        }
        return mail;
    }

    /** An event-publishing record: {@code {"eventType": ..., "mail": ..., detailName: detail}}. */
    public static Map<String, Object> sesEvent(String eventType, Map<String, Object> mail, String detailName, Map<String, Object> detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventType", eventType);
        m.put("mail", mail);
        if (detailName != null) {
            m.put(detailName, detail);
        }
        return m;
    }

    /** An identity notification (the older form): {@code {"notificationType": ..., "mail": ..., ...}}, no tags. */
    public static Map<String, Object> sesNotification(String type, Map<String, Object> mail, String detailName, Map<String, Object> detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("notificationType", type);
        m.put("mail", mail);
        m.put(detailName, detail);
        return m;
    }

    public static Map<String, Object> delivery(String to, Instant at) {
        return Map.of("timestamp", at.toString(), "processingTimeMillis", 812, "recipients", List.of(to),
                "smtpResponse", "250 2.6.0 Message received", "reportingMTA", "a8-70.smtp-out.amazonses.com");
    }

    public static Map<String, Object> open(Instant at, String userAgent, String ip) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", at.toString());
        m.put("userAgent", userAgent == null ? "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Outlook" : userAgent);
        m.put("ipAddress", ip == null ? "198.51.100.20" : ip);
        return m;
    }

    public static Map<String, Object> click(Instant at, String link, String userAgent, String ip) {
        Map<String, Object> m = open(at, userAgent, ip);
        m.put("link", link);
        m.put("linkTags", Map.of());
        return m;
    }

    public static Map<String, Object> bounce(String to, Instant at, String bounceType) {
        boolean permanent = "Permanent".equals(bounceType);
        return Map.of("bounceType", bounceType, "bounceSubType", permanent ? "General" : "MailboxFull",
                "bouncedRecipients", List.of(Map.of("emailAddress", to, "action", "failed",
                        "status", permanent ? "5.1.1" : "4.2.2",
                        "diagnosticCode", permanent ? "smtp; 550 5.1.1 user unknown" : "smtp; 452 4.2.2 mailbox full")),
                "timestamp", at.toString(), "feedbackId", UUID.randomUUID() + "-000000", "reportingMTA", "dsn; mta.example.com");
    }

    public static Map<String, Object> complaint(String to, Instant at) {
        return Map.of("complainedRecipients", List.of(Map.of("emailAddress", to)), "timestamp", at.toString(),
                "feedbackId", UUID.randomUUID() + "-000000", "complaintFeedbackType", "abuse");
    }

    /** AWS End User Messaging two-way SMS, as it publishes an inbound message to SNS. */
    public static Map<String, Object> inboundSms(String from, String to, String body, String inboundMessageId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("originationNumber", from);
        m.put("destinationNumber", to);
        m.put("messageKeyword", "KEYWORD_123456789012");
        m.put("messageBody", body);
        m.put("inboundMessageId", inboundMessageId);
        m.put("previousPublishedMessageId", UUID.randomUUID().toString());
        return m;
    }
}
