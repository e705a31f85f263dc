package dev.tandem.api;

/** The few pages a person sees: the unsubscribe confirmation and its result. */
final class Pages {
    private Pages() {
    }

    static String confirmUnsubscribe(String code) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head><body>"
                + "<form method=\"post\" action=\"/u/" + code + "\"><p>Stop these emails?</p>"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form></body></html>";
    }

    static String unsubscribed() {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head><body>"
                + "<p>You are unsubscribed and will get no more of these emails.</p></body></html>";
    }
}
