package dev.tandem.render;

import dev.tandem.campaign.MessageTemplate;
import dev.tandem.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendererTest {

    private static Renderer.Rendered render(String channel, String subject, String body, Map<String, Object> ctx) {
        Map<String, Object> def = subject == null ? Map.of("channel", channel, "body", body)
                : Map.of("channel", channel, "subject", subject, "body", body);
        return Renderer.compile(MessageTemplate.from("t", def)).render(ctx);
    }

    @Test
    void listsFromTheUpstreamSystemRenderAsSections() {
        Map<String, Object> ctx = Map.of("contact", Map.of("recommendations",
                List.of(Map.of("name", "Boots", "url", "https://s/b"), Map.of("name", "Hat", "url", "https://s/h"))));
        assertEquals("<li>Boots</li><li>Hat</li>",
                render("email", "x", "{{#contact.recommendations}}<li>{{name}}</li>{{/contact.recommendations}}", ctx).body());
    }

    @Test
    void emailBodiesEscapeHtmlButSubjectsAndSmsDoNot() {
        Map<String, Object> ctx = Map.of("contact", Map.of("firstName", "Ana & <Bo>"));
        Renderer.Rendered email = render("email", "Hi {{contact.firstName}}", "<p>{{contact.firstName}}</p>", ctx);
        assertEquals("<p>Ana &amp; &lt;Bo&gt;</p>", email.body());
        assertEquals("Hi Ana & <Bo>", email.subject());
        assertEquals("Hi Ana & <Bo>", render("sms", null, "Hi {{contact.firstName}}", ctx).body());
    }

    @Test
    void aMissingValueUsesTheInvertedSectionNeverNull() {
        String body = "Hi {{contact.firstName}}{{^contact.firstName}}there{{/contact.firstName}}{{#reply}}, you said {{reply.text}}{{/reply}}.";
        assertEquals("Hi there.", render("sms", null, body, Map.of("contact", Map.of())).body());
        assertEquals("Hi Ana, you said hi.", render("sms", null, body,
                Map.of("contact", Map.of("firstName", "Ana"), "reply", Map.of("text", "hi"))).body());
    }

    @Test
    void brokenMustacheIsRefusedNamingTheField() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MessageTemplate.from("t", Map.of("channel", "sms", "body", "Hi {{#contact}}")));
        assertEquals("body", e.field());
    }

    @Test
    void subjectsAreOneLine() {
        assertEquals("Hello Ana", render("email", "Hello\n  {{contact.firstName}} ", "b", Map.of("contact", Map.of("firstName", "Ana"))).subject());
    }

    @Test
    void aPartialOrAParentIsRefusedWhenATemplateIsStoredNamingIt() {
        InvalidInputException partial = assertThrows(InvalidInputException.class,
                () -> MessageTemplate.from("t", Map.of("channel", "email", "subject", "Hi", "body", "<p>{{#contact}}{{> footer}}{{/contact}}</p>")));
        assertEquals("body", partial.field());
        assertTrue(partial.getMessage().contains("footer"), partial.getMessage());
        assertThrows(InvalidInputException.class,
                () -> MessageTemplate.from("t", Map.of("channel", "sms", "body", "{{< layout}}{{/layout}}")));
    }

    @Test
    void onlyWebLinksFromAttributesStayLinksInAnEmail() {
        Map<String, Object> ctx = Map.of("contact", Map.of("site", "javascript:alert(document.cookie)",
                "shop", "https://shop.example.com/a?b=1&c=2", "data", "data:text/html;base64,PHNjcmlwdD4="));
        String body = render("email", "x", "<a href=\"{{contact.site}}\">a</a><a href='{{contact.shop}}'>b</a>"
                + "<img src={{contact.data}}><a href=\"mailto:help@example.com\">c</a><a href=\"&#106;avascript:x()\">d</a>", ctx).body();
        assertEquals("<a href=\"#\">a</a><a href='https://shop.example.com/a?b&#x3D;1&amp;c&#x3D;2'>b</a>"
                + "<img src=\"#\"><a href=\"mailto:help@example.com\">c</a><a href=\"#\">d</a>", body);
    }
}
