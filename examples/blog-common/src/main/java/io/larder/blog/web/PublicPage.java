package io.larder.blog.web;

/**
 * A public page to render: which kind, its validated request parts (they name its fragments in
 * the cache) and its lazily read data.
 *
 * @param kind {@code home}, {@code tag}, {@code month} or {@code post}
 * @param lang the language
 * @param ident the tag slug, month or post slug; empty for the home page
 * @param number the page number, 1 for a post
 * @param first the URL of the list's first page (lists only)
 * @param prefix the URL of the list's pages before the number (lists only)
 * @param data the data
 */
public record PublicPage(String kind, String lang, String ident, int number, String first,
        String prefix, LazyPage data) { }
