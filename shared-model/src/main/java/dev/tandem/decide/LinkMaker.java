package dev.tandem.decide;

import dev.tandem.port.DecisionStore.LinkItem;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The links of one message: random codes of 128 bits, and the items that make them resolve, kept until the
 * send is claimed. A code resolves only to what was stored when the message went out.
 */
public final class LinkMaker implements Links {
    public static final int CODE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String base;
    private final String contactId;
    private final String campaign;
    private final String step;
    private final Supplier<String> codes;
    private final List<LinkItem> items = new ArrayList<>();
    private int drawn;

    public LinkMaker(String base, String contactId, String campaign, String step, Supplier<String> codes) {
        this.base = trim(Objects.requireNonNull(base, "base"));
        this.contactId = contactId;
        this.campaign = campaign;
        this.step = step;
        this.codes = codes;
    }

    /** Codes from a secure random source: 16 bytes, URL-safe base64, 22 characters. */
    public static String randomCode() {
        byte[] b = new byte[CODE_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Codes drawn from a secret seed (a claim's token): the i-th code is the first 16 bytes of SHA-256 of the seed and
     * i, so the decider that claims a send and the sender that renders it again make the same links, and no one
     * without the seed can guess one.
     */
    public static Supplier<String> seeded(String seed) {
        java.util.concurrent.atomic.AtomicInteger i = new java.util.concurrent.atomic.AtomicInteger();
        return () -> {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                byte[] d = sha.digest((seed + "#" + i.getAndIncrement()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, CODE_BYTES));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        };
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String shortLink(String url) {
        String code = draw();
        items.add(new LinkItem(LinkItem.LINK, code, url, null, null, contactId, campaign, step));
        return base + "/l/" + code;
    }

    @Override
    public String viewUrl(String viewCode) {
        return base + "/v/" + viewCode;
    }

    @Override
    public String newViewCode() {
        return draw();
    }

    @Override
    public String newUnsubscribeCode() {
        String code = draw();
        items.add(new LinkItem(LinkItem.UNSUBSCRIBE, code, null, null, null, contactId, campaign, step));
        return code;
    }

    private String draw() {
        drawn++;
        return codes.get();
    }

    /** How many codes this message drew: with seeded codes, the first that many of its seed. */
    public int drawn() {
        return drawn;
    }

    /** The first {@code n} codes of a seed, as {@link #seeded} draws them. */
    public static java.util.Set<String> firstCodes(String seed, int n) {
        Supplier<String> s = seeded(seed);
        java.util.Set<String> out = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(s.get());
        }
        return out;
    }

    /** The web version of an email, stored as it went out. */
    public void view(String code, String subject, String html) {
        items.add(new LinkItem(LinkItem.VIEW, code, null, subject, html, contactId, campaign, step));
    }

    public String unsubscribeUrl(String code) {
        return base + "/u/" + code;
    }

    @Override
    public int shortLinkLength() {
        return lengthFor(base);
    }

    public static int lengthFor(String base) {
        return trim(base).length() + "/l/".length() + 22;
    }

    public List<LinkItem> items() {
        return List.copyOf(items);
    }
}
