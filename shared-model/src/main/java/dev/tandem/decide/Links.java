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
}
