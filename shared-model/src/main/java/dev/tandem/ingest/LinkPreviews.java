package dev.tandem.ingest;

import java.util.List;
import java.util.Locale;

/**
 * Link-preview agents: when a short link is pasted into a chat, or an SMS app shows a preview, a machine fetches it
 * before any person does. Their user agents name them; such a fetch is never engagement.
 */
public final class LinkPreviews {
    private static final List<String> AGENTS = List.of("facebookexternalhit", "facebot", "twitterbot", "slackbot",
            "slack-imgproxy", "whatsapp", "telegrambot", "discordbot", "linkedinbot", "skypeuripreview", "googlebot",
            "bingbot", "applebot", "pinterestbot", "redditbot", "embedly", "iframely", "snapchat", "viber",
            "google-pagerenderer", "bitlybot", "mastodon", "signal", "yahoo! slurp", "duckduckbot");

    private LinkPreviews() {
    }

    public static boolean isPreview(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return false;
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        for (String agent : AGENTS) {
            if (ua.contains(agent)) {
                return true;
            }
        }
        return false;
    }
}
