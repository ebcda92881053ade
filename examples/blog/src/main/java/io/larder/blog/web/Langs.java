package io.larder.blog.web;

import java.util.List;

/** The languages the blog is written in. */
public final class Langs {
    /** Every supported language code, the default first. */
    public static final List<String> ALL = List.of("en", "de", "fr", "es");

    private Langs() {
    }

    /** {@code lang} if it is supported. @throws NotFoundException otherwise */
    public static String require(String lang) {
        if (lang == null || !ALL.contains(lang)) {
            throw new NotFoundException("no language " + lang);
        }
        return lang;
    }
}
