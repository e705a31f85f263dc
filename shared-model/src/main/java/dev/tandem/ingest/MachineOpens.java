package dev.tandem.ingest;

/**
 * An open is a machine's (docs/events.md) when the user agent is exactly {@code Mozilla/5.0} (Apple Mail
 * Privacy Protection's proxy) or the address is in 17.0.0.0/8 (Apple). Such opens are kept but never
 * count as engagement.
 */
public final class MachineOpens {
    private MachineOpens() {
    }

    public static boolean isMachine(String userAgent, String ip) {
        if ("Mozilla/5.0".equals(userAgent == null ? null : userAgent.trim())) {
            return true;
        }
        return inApple(ip);
    }

    static boolean inApple(String ip) {
        if (ip == null) {
            return false;
        }
        String v = ip.trim();
        if (v.startsWith("::ffff:")) {
            v = v.substring(7);
        }
        int dot = v.indexOf('.');
        if (dot <= 0 || v.chars().filter(c -> c == '.').count() != 3) {
            return false;
        }
        return v.substring(0, dot).equals("17");
    }
}
