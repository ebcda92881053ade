package io.larder.blog.web;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** Renders post Markdown to HTML; raw HTML in the source is escaped. Thread-safe. */
public final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private Markdown() {
    }

    /** The HTML of {@code markdown}. */
    public static String render(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
