package io.larder.blog.web;

import java.time.YearMonth;

/**
 * The rendered parts of the public pages. Implementations query and render, or serve rendered
 * fragments from the cache; all produce the same HTML for the same data.
 */
public interface Content {
    /** The home list of {@code lang}, page {@code page}. */
    Fragment home(String lang, int page);

    /** The list of tag {@code slug} in {@code lang}. */
    Fragment tag(String lang, String slug, int page);

    /** The archive of {@code month} in {@code lang}. */
    Fragment month(String lang, YearMonth month, int page);

    /** The post {@code slug} in {@code lang}. */
    Fragment post(String lang, String slug);

    /** The right-hand column in {@code lang}. */
    String sidebar(String lang);
}
