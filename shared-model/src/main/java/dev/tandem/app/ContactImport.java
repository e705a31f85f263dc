package dev.tandem.app;

import dev.tandem.contact.Contact;
import dev.tandem.contact.ContactDraft;
import dev.tandem.imports.ImportRow;
import dev.tandem.imports.RowError;
import dev.tandem.port.ContactStore;
import dev.tandem.port.ContactStore.Save;
import dev.tandem.port.ContactStore.Saved;
import dev.tandem.validation.ConflictException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a window of import rows as {@code PUT /contacts/{id}} would, one after the other, but in batches: the window's
 * profiles are read at once, each row is applied to what the rows before it left (so a row clashing with another
 * contact's address or number, stored or in an earlier row, is refused alone), rows that change nothing are not
 * written, and the rest go to the store's {@link ContactStore#saveAll} together. Rows touching the same contact,
 * address or number as an earlier row of the same batch wait for the next batch, so that the store sees them in order.
 */
public final class ContactImport {
    private static final int ATTEMPTS = 3;

    private final ContactStore store;

    public ContactImport(ContactStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** What a window came to: rows written, rows already as stored, rows refused (with why), in row order. */
    public record Outcome(int imported, int unchanged, List<RowError> refused) {
    }

    private record Planned(long row, ContactDraft draft, Contact previous, Contact next) {
    }

    private record Claim(String contactId, long row) {
    }

    public Outcome write(List<ImportRow> rows, Instant now) {
        List<RowError> refused = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (ImportRow r : rows) {
            if (r.valid()) {
                ids.add(r.draft().id());
            } else {
                refused.add(r.error());
            }
        }
        Map<String, Contact> known = new HashMap<>(store.findAll(ids));
        Map<String, Claim> claims = new HashMap<>();
        known.values().forEach(c -> claimAll(claims, c, 0));
        List<List<Planned>> batches = new ArrayList<>();
        List<Planned> batch = new ArrayList<>();
        Set<String> touched = new HashSet<>();
        int unchanged = 0;
        for (ImportRow r : rows) {
            if (!r.valid()) {
                continue;
            }
            ContactDraft d = r.draft();
            RowError clash = clash(claims, d, r.row());
            if (clash != null) {
                refused.add(clash);
                continue;
            }
            Contact previous = known.get(d.id());
            Contact next = d.applyTo(previous, now);
            if (previous != null && same(previous, next)) {
                unchanged++;
                continue;
            }
            Set<String> keys = keys(previous, next);
            if (keys.stream().anyMatch(touched::contains)) {
                batches.add(batch);
                batch = new ArrayList<>();
                touched.clear();
            }
            touched.addAll(keys);
            batch.add(new Planned(r.row(), d, previous, next));
            known.put(d.id(), next);
            if (previous != null) {
                release(claims, previous);
            }
            claimAll(claims, next, r.row());
        }
        batches.add(batch);
        int imported = 0;
        for (List<Planned> b : batches) {
            if (b.isEmpty()) {
                continue;
            }
            List<Saved> saved = store.saveAll(b.stream().map(p -> new Save(p.next(), p.previous())).toList());
            for (int i = 0; i < b.size(); i++) {
                Planned p = b.get(i);
                switch (saved.get(i).outcome()) {
                    case SAVED -> imported++;
                    case CONFLICT -> refused.add(new RowError(p.row(), saved.get(i).field(), saved.get(i).error()));
                    case CHANGED -> {
                        // The stored profile moved under the batch (another writer, or an earlier row refused): this row
                        // alone, as PUT does it.
                        RowError error = one(p, now);
                        if (error == null) {
                            imported++;
                        } else if (error.field().equals("-")) {
                            unchanged++;
                        } else {
                            refused.add(error);
                        }
                    }
                }
            }
        }
        refused.sort(Comparator.comparingLong(RowError::row));
        return new Outcome(imported, unchanged, refused);
    }

    /** One row read and written on its own, as {@link ContactService#put} does; null when written, "-" when unchanged. */
    private RowError one(Planned p, Instant now) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Contact previous = store.find(p.draft().id()).orElse(null);
            Contact next = p.draft().applyTo(previous, now);
            if (previous != null && same(previous, next)) {
                return new RowError(p.row(), "-", "unchanged");
            }
            try {
                store.save(next, previous);
                return null;
            } catch (ConflictException e) {
                return new RowError(p.row(), e.field(), e.getMessage());
            } catch (ContactStore.ConcurrentChangeException e) {
                // read again and retry
            }
        }
        return new RowError(p.row(), "id", "the contact kept changing while it was imported; import the row again");
    }

    private static RowError clash(Map<String, Claim> claims, ContactDraft d, long row) {
        for (String[] f : new String[][]{{"email", emailKey(d.email())}, {"phone", phoneKey(d.phone())}}) {
            if (f[1] == null) {
                continue;
            }
            Claim c = claims.get(f[1]);
            if (c != null && !c.contactId().equals(d.id())) {
                return new RowError(row, f[0], f[0] + " already belongs to another contact"
                        + (c.row() > 0 ? " (row " + c.row() + " of this file has it)" : ""));
            }
        }
        return null;
    }

    private static void claimAll(Map<String, Claim> claims, Contact c, long row) {
        if (c.email() != null) {
            claims.put(emailKey(c.email()), new Claim(c.id(), row));
        }
        if (c.phone() != null) {
            claims.put(phoneKey(c.phone()), new Claim(c.id(), row));
        }
    }

    private static void release(Map<String, Claim> claims, Contact c) {
        for (String k : new String[]{emailKey(c.email()), phoneKey(c.phone())}) {
            if (k != null && claims.get(k) != null && claims.get(k).contactId().equals(c.id())) {
                claims.remove(k);
            }
        }
    }

    /** The contact and every address and number a write of it claims or frees. */
    private static Set<String> keys(Contact previous, Contact next) {
        Set<String> keys = new HashSet<>();
        keys.add("C#" + next.id());
        for (Contact c : new Contact[]{previous, next}) {
            if (c != null) {
                if (c.email() != null) {
                    keys.add(emailKey(c.email()));
                }
                if (c.phone() != null) {
                    keys.add(phoneKey(c.phone()));
                }
            }
        }
        return keys;
    }

    /** Email addresses are unique without regard to case, as the store keeps them. */
    private static String emailKey(String email) {
        return email == null ? null : "E#" + email.toLowerCase(Locale.ROOT);
    }

    private static String phoneKey(String phone) {
        return phone == null ? null : "P#" + phone;
    }

    /** True when writing {@code next} would change nothing a caller owns: addresses, zone, consent and attributes. */
    static boolean same(Contact previous, Contact next) {
        return Objects.equals(previous.email(), next.email())
                && Objects.equals(previous.phone(), next.phone())
                && previous.zone().equals(next.zone())
                && previous.consent().equals(next.consent())
                && plain(previous.attributes()).equals(plain(next.attributes()));
    }

    /** A value with its numbers made comparable: a stored 12 (a long) equals an imported 12 (an int). */
    private static Object plain(Object v) {
        if (v instanceof Number n) {
            try {
                BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
                return d.signum() == 0 ? BigDecimal.ZERO : d;
            } catch (NumberFormatException e) {
                return n.toString();
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ContactImport::plain).toList();
        }
        return v;
    }
}
