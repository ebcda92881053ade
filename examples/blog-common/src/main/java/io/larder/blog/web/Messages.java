package io.larder.blog.web;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The blog's own words in one of its languages ({@link Langs#ALL}), from
 * {@code messages/<lang>.properties}, formatted by ICU's {@link MessageFormat}: plurals follow each
 * language's CLDR rules ({@code {0, plural, one {# comment} other {# comments}}}: "1 comment" in
 * English, "0 commentaire" in French). Every language must have exactly the English keys, each a
 * valid pattern: the blog fails at start otherwise. Templates call {@code t("key", args...)} with
 * the page's {@code lang} (Pebble: {@code PebbleMessages}; Thymeleaf: the Spring blog's message
 * resolver). Thread-safe.
 */
public final class Messages {
    private static final Map<String, Messages> BY_LANG = load();

    private final String lang;
    private final Map<String, MessageFormat> formats;

    private Messages(String lang, Map<String, MessageFormat> formats) {
        this.lang = lang;
        this.formats = formats;
    }

    /** The words of {@code lang}. @throws IllegalArgumentException for a language not the blog's */
    public static Messages of(String lang) {
        Messages messages = BY_LANG.get(lang);
        if (messages == null) {
            throw new IllegalArgumentException("no messages in language '" + lang + "'");
        }
        return messages;
    }

    /** The language. */
    public String lang() {
        return lang;
    }

    /** The text of {@code key} with {@code args} ({@code {0}}, {@code {1}}...) put in. */
    public String text(String key, Object... args) {
        MessageFormat format = formats.get(key);
        if (format == null) {
            throw new IllegalArgumentException("no message '" + key + "'");
        }
        synchronized (format) { // an ICU MessageFormat is not safe for concurrent use
            return format.format(args);
        }
    }

    private static Map<String, Messages> load() {
        Map<String, Messages> all = new LinkedHashMap<>();
        TreeSet<String> keys = null;
        for (String lang : Langs.ALL) {
            Properties texts = properties(lang);
            TreeSet<String> own = new TreeSet<>(texts.stringPropertyNames());
            if (keys == null) {
                keys = own;
            } else if (!own.equals(keys)) {
                TreeSet<String> missing = new TreeSet<>(keys);
                missing.removeAll(own);
                own.removeAll(keys);
                throw new IllegalStateException("messages/" + lang + ".properties lacks "
                        + missing + " and has unknown " + own);
            }
            Map<String, MessageFormat> formats = new LinkedHashMap<>();
            for (String key : own) {
                try {
                    formats.put(key, new MessageFormat(texts.getProperty(key),
                            ULocale.forLanguageTag(lang)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("messages/" + lang + ".properties: " + key
                            + " is not a message pattern: " + e.getMessage(), e);
                }
            }
            all.put(lang, new Messages(lang, Map.copyOf(formats)));
        }
        return Map.copyOf(all);
    }

    private static Properties properties(String lang) {
        String path = "/messages/" + lang + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no " + path + " on the classpath");
            }
            Properties texts = new Properties();
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
