package io.larder.pebble;

import io.larder.Larder;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A Pebble engine on the test templates with the Larder extension and a {@link Probe}. */
final class Pages {
    final Probe probe = new Probe();
    final PebbleEngine engine;

    Pages(Larder larder) {
        this(LarderExtension.builder(larder).build());
    }

    Pages(Extension... extensions) {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates");
        Extension[] all = new Extension[extensions.length + 1];
        all[0] = probe;
        System.arraycopy(extensions, 0, all, 1, extensions.length);
        this.engine = new PebbleEngine.Builder().loader(loader).strictVariables(true)
                .extension(all).build();
    }

    String render(String template, Map<String, Object> model) {
        return render(template, model, Locale.ENGLISH);
    }

    String render(String template, Map<String, Object> model, Locale locale) {
        StringWriter out = new StringWriter();
        try {
            engine.getTemplate(template).evaluate(out, new HashMap<>(model), locale);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The same render with fragment caching switched off. */
    String renderUncached(String template, Map<String, Object> model) {
        Map<String, Object> off = new HashMap<>(model);
        off.put(LarderExtension.ENABLED_VARIABLE, false);
        return render(template, off);
    }

    static Map<String, Object> post(int id, String title) {
        return Map.of("id", id, "title", title);
    }

    static List<Map<String, Object>> posts(String... titles) {
        List<Map<String, Object>> posts = new ArrayList<>();
        for (int i = 0; i < titles.length; i++) {
            posts.add(post(i + 1, titles[i]));
        }
        return posts;
    }
}
