package dev.tandem.aws.ses;

/**
 * SES message-tag values may hold only ASCII letters, digits, {@code _} and {@code -} (at most 256 characters), while
 * Tandem's ids may also hold {@code .} and {@code @}. A value that already fits goes as it is; any other is marked by a
 * leading {@code _} (which no id starts with) and written with {@code _} as an escape: {@code __} for {@code _},
 * {@code _d} for {@code .}, {@code _a} for {@code @}. The longest id (128 characters) stays within 256.
 */
public final class SesTags {
    private SesTags() {
    }

    public static String encode(String value) {
        if (value == null || fits(value) && !value.startsWith("_")) {
            return value;
        }
        StringBuilder b = new StringBuilder(value.length() * 2 + 1).append('_');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '_' -> b.append("__");
                case '.' -> b.append("_d");
                case '@' -> b.append("_a");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The value a tag stands for; a value without the leading mark was sent as it is. */
    public static String decode(String tag) {
        if (tag == null || !tag.startsWith("_")) {
            return tag;
        }
        StringBuilder b = new StringBuilder(tag.length());
        for (int i = 1; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == '_' && i + 1 < tag.length()) {
                char n = tag.charAt(++i);
                b.append(switch (n) {
                    case 'd' -> '.';
                    case 'a' -> '@';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** What SES accepts as a tag value. */
    public static boolean fits(String value) {
        if (value.isEmpty() || value.length() > 256) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
