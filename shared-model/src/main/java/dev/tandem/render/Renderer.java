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

    /** A template compiled once, for rendering many times. */
    public record Compiled(MessageTemplate source, Template subject, Template body) {
        public Rendered render(Map<String, Object> context) {
            return new Rendered(subject == null ? null : collapse(subject.execute(context)), body.execute(context));
        }
    }

    public record Rendered(String subject, String body) {
    }

    public static Compiled compile(MessageTemplate t) {
        Template subject = t.subject() == null ? null : compile(TEXT, t.subject(), "subject");
        Template body = compile(t.channel() == Channel.EMAIL ? HTML : TEXT, t.body(), "body");
        return new Compiled(t, subject, body);
    }

    private static Template compile(Mustache.Compiler compiler, String text, String field) {
        try {
            return compiler.compile(text);
        } catch (MustacheException e) {
            throw new InvalidInputException(field, field + " is not valid Mustache: " + e.getMessage());
        }
    }

    /** Subjects are one line. */
    static String collapse(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
