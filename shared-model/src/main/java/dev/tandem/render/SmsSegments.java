package dev.tandem.render;

/**
 * How many SMS segments a text takes: GSM-7 when every character is in the GSM 03.38 alphabet (160 in one
 * segment, 153 each when concatenated; the extension characters take two), else UCS-2 (70, or 67 each).
 */
public final class SmsSegments {
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "\f^{}\\[~]|€";

    /** Septets per character: 1 for the basic alphabet, 2 for the extension, 0 outside GSM-7. */
    private static final byte[] SEPTETS = new byte[Character.MAX_VALUE + 1];

    static {
        for (char c : BASIC.toCharArray()) {
            SEPTETS[c] = 1;
        }
        for (char c : EXTENSION.toCharArray()) {
            SEPTETS[c] = 2;
        }
    }

    private SmsSegments() {
    }

    public static boolean isGsm(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (SEPTETS[text.charAt(i)] == 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean isGsm(char c) {
        return SEPTETS[c] != 0;
    }

    /** Septets for GSM-7 text, UTF-16 units for UCS-2 text. */
    public static int units(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int s = SEPTETS[text.charAt(i)];
            if (s == 0) {
                return text.length();
            }
            n += s;
        }
        return n;
    }

    public static int count(String text) {
        if (text.isEmpty()) {
            return 1;
        }
        boolean gsm = isGsm(text);
        int units = gsm ? units(text) : text.length();
        int single = gsm ? 160 : 70;
        int multi = gsm ? 153 : 67;
        return units <= single ? 1 : (units + multi - 1) / multi;
    }
}
