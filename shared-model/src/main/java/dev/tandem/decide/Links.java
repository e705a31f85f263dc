package dev.tandem.decide;

/**
 * Makes the codes a message carries: tracked short links, the web version of an email and its one-click
 * unsubscribe. Codes are random and resolve only to what was stored when the message went out.
 */
public interface Links {

    /** A tracked short link ({@code /l/{code}}) to a URL. */
    String shortLink(String url);

    /** The public URL of an email's web version ({@code /v/{code}}). */
    String viewUrl(String viewCode);

    /** A new code for an email's web version. */
    String newViewCode();

    /** A new code for an email's one-click unsubscribe ({@code /u/{code}}). */
    String newUnsubscribeCode();

    /** The length of a short link, for checking SMS segments before any link exists. */
    int shortLinkLength();

    /**
     * Whether a URL may become a link a person follows: http or https with a host, nothing else ({@code javascript:},
     * {@code data:}, a relative path...). Every URL a message links to or a short link redirects to passes this.
     */
    static boolean isWebUrl(String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            return false;
        }
        try {
            java.net.URI u = new java.net.URI(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && !u.getHost().isEmpty();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
