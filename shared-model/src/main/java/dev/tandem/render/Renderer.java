package dev.tandem.render;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.tandem.campaign.MessageTemplate;
import dev.tandem.contact.Channel;
import dev.tandem.validation.InvalidInputException;

import java.util.Map;

/**
 * Mustache rendering. A missing or null value renders as nothing, so templates use inverted sections
 * ({@code {{^contact.firstName}}there{{/contact.firstName}}}) for fallbacks and never print "null".
 * Email bodies escape HTML; subjects and SMS are plain text.
 */
public final class Renderer {
    private static final Mustache.Compiler HTML = Mustache.compiler()
            .defaultValue("")
            .emptyStringIsFalse(true);
    private static final Mustache.Compiler TEXT = HTML.escapeHTML(false);

    private Renderer() {
    }

    /** A template compiled once, for rendering many times; its locales compiled with it. */
    public record Compiled(MessageTemplate source, Template subject, Template body, Map<String, Compiled> locales) {
        /**
         * The text a contact of language tag {@code tag} gets (the template's {@link MessageTemplate#localeFor locale}
         * for it, else the template's own); a null tag gets the template's own.
         */
        public Compiled in(String tag) {
            String locale = source.localeFor(tag);
            return locale == null ? this : locales.get(locale);
        }

        /** Renders the template; one that fails at run time throws {@link InvalidInputException} naming it, never jmustache's own error. */
        public Rendered render(Map<String, Object> context) {
            try {
                String s = subject == null ? null : collapse(subject.execute(context));
                String b = body.execute(context);
                return new Rendered(s, source.channel() == Channel.EMAIL ? HtmlLinks.webOnly(b) : b);
            } catch (MustacheException | StackOverflowError e) {
                throw new InvalidInputException("template", "template " + source.id() + " cannot render: "
                        + (e instanceof StackOverflowError ? "it nests too deeply" : e.getMessage()));
            }
        }
    }

    public record Rendered(String subject, String body) {
    }

    public static Compiled compile(MessageTemplate t) {
        Map<String, Compiled> locales = new java.util.LinkedHashMap<>();
        for (String locale : t.locales().keySet()) {
            try {
                locales.put(locale, compile(t.in(locale)));
            } catch (InvalidInputException e) {
                throw e.under("locales." + locale);
            }
        }
        Template subject = t.subject() == null ? null : compile(TEXT, t.subject(), "subject");
        Template body = compile(t.channel() == Channel.EMAIL ? HTML : TEXT, t.body(), "body");
        return new Compiled(t, subject, body, Map.copyOf(locales));
    }

    private static Template compile(Mustache.Compiler compiler, String text, String field) {
        Template t;
        try {
            t = compiler.compile(text);
        } catch (MustacheException e) {
            throw new InvalidInputException(field, field + " is not valid Mustache: " + e.getMessage());
        }
        // Partials ({{> name}}) and parents ({{< name}}) name other templates, which Tandem does not load: refused here,
        // where a template is stored, rather than failing every message it would send.
        t.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
            }

            @Override
            public void visitVariable(String name) {
            }

            @Override
            public boolean visitInclude(String name) {
                throw new InvalidInputException(field, field + " uses the partial {{> " + name + "}}; Tandem templates cannot include other templates");
            }

            @Override
            public boolean visitParent(String name) {
                throw new InvalidInputException(field, field + " uses the parent {{< " + name + "}}; Tandem templates cannot include other templates");
            }

            @Override
            public boolean visitSection(String name) {
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                return true;
            }
        });
        return t;
    }

    /** Subjects are one line. */
    static String collapse(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
