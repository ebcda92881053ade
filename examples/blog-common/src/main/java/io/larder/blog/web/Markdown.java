package io.larder.blog.web;

import io.larder.Trace;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders post Markdown to HTML; raw HTML in the source is escaped. Thread-safe. Each render is
 * timed into the request's {@link Trace} as a {@code "render"} span named {@code markdown}, so
 * that the advisor sees it apart from the queries and templates around it.
 */
public final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private Markdown() {
    }

    /** The HTML of {@code markdown}. */
    public static String render(String markdown) {
        long start = System.nanoTime();
        String html = RENDERER.render(PARSER.parse(markdown));
        Trace.record("render", "markdown", "", System.nanoTime() - start);
        return html;
    }
}
