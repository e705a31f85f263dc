package dev.tandem.render;

import dev.tandem.decide.Links;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a rendered email's links to the web. A contact attribute (or anything else a template interpolates) may
 * land in an {@code href} or {@code src}: whatever it holds, only an http(s) URL (or a {@code mailto:}) stays a
 * link there; {@code javascript:}, {@code data:} and the rest become {@code #}. The email's web version is
 * served from Tandem's own domain, so this is also what keeps a contact's attributes from running script there.
 */
public final class HtmlLinks {
    private static final Pattern LINK_ATTRIBUTE = Pattern.compile(
            "(?i)(\\s(?:href|src|action|formaction|xlink:href|background|poster)\\s*=\\s*)(\"[^\"]*\"|'[^']*'|[^\\s\"'>]+)");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x[0-9a-fA-F]+|[0-9]+);?");

    private HtmlLinks() {
    }

    public static String webOnly(String html) {
        if (html == null || html.indexOf('=') < 0) {
            return html;
        }
        Matcher m = LINK_ATTRIBUTE.matcher(html);
        StringBuilder out = new StringBuilder(html.length());
        while (m.find()) {
            String raw = m.group(2);
            char q = raw.charAt(0);
            String value = q == '"' || q == '\'' ? raw.substring(1, raw.length() - 1) : raw;
            String replacement = allowed(value) ? m.group() : m.group(1) + (q == '\'' ? "'#'" : "\"#\"");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean allowed(String attributeValue) {
        String url = decode(attributeValue).replaceAll("[\\s\\p{Cntrl}]", "");
        if (url.toLowerCase(Locale.ROOT).startsWith("mailto:")) {
            return true;
        }
        return Links.isWebUrl(url);
    }

    /** What a browser reads in an attribute: numeric character references and the few named ones a scheme can hide in. */
    private static String decode(String v) {
        Matcher m = NUMERIC_ENTITY.matcher(v);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String n = m.group(1);
            int cp;
            try {
                cp = n.startsWith("x") || n.startsWith("X") ? Integer.parseInt(n.substring(1), 16) : Integer.parseInt(n);
            } catch (NumberFormatException e) {
                cp = '?';
            }
            m.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "?"));
        }
        m.appendTail(out);
        return out.toString().replace("&colon;", ":").replace("&Tab;", "").replace("&NewLine;", "").replace("&amp;", "&");
    }
}
