package io.larder.blog.web;

import java.util.List;
import java.util.Locale;

/** The languages the blog is written in. */
public final class Langs {
    /** Every supported language code, the default first. */
    public static final List<String> ALL = List.of("en", "de", "fr", "es");

    private Langs() {
    }

    /**
     * The supported language that an {@code Accept-Language} value prefers (RFC 4647 lookup, by
     * {@code q}: {@code de-CH} finds {@code de}), or the default when none or when malformed.
     */
    public static String preferred(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return ALL.get(0);
        }
        try {
            String lang = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), ALL);
            return lang != null ? lang : ALL.get(0);
        } catch (IllegalArgumentException e) {
            return ALL.get(0);
        }
    }

    /** The language a request path starts with ({@code /de/...}), or the default. */
    public static String ofPath(String path) {
        if (path != null && path.length() > 3 && path.charAt(0) == '/' && path.charAt(3) == '/'
                && ALL.contains(path.substring(1, 3))) {
            return path.substring(1, 3);
        }
        return ALL.get(0);
    }

    /** {@code lang} if it is supported. @throws NotFoundException otherwise */
    public static String require(String lang) {
        if (lang == null || !ALL.contains(lang)) {
            throw new NotFoundException("no language " + lang);
        }
        return lang;
    }
}
