package dev.tandem.ingest;

import dev.tandem.contact.Channel;

import java.util.Objects;

/** What a provider message id stands for: the contact, channel, campaign and step of a message Tandem sent. */
public record SentMessage(String messageId, String contactId, Channel channel, String campaign, String step) {
    public SentMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(channel, "channel");
    }
}
