package dev.tandem.api;

/** The few pages a person sees: an email's web version, the unsubscribe confirmation and its result. */
final class Pages {
    /**
     * An email's web version is the email's own HTML, served from Tandem's domain: it may show images, styles and
     * fonts and follow its links, and run nothing (no script, no form, no frame, no plugin).
     */
    static final String WEB_VERSION_POLICY = "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline' https:; "
            + "font-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
            + "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation";
    /** Tandem's own unsubscribe pages: inline style, and a form that posts back to the page itself. */
    static final String FORM_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private Pages() {
    }

    /**
     * The confirmation form posts to the page's own address, written relative to it: behind a custom domain that maps
     * the API under a path prefix ({@code https://example.com/mail/u/...}) it still reaches this route.
     */
    static String confirmUnsubscribe(String code) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head><body>"
                + "<form method=\"post\" action=\"./" + code + "\"><p>Stop these emails?</p>"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form></body></html>";
    }

    static String unsubscribed() {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head><body>"
                + "<p>You are unsubscribed and will get no more of these emails.</p></body></html>";
    }
}
