package io.larder.thymeleaf;

import io.larder.Larder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** A Thymeleaf engine on the test templates with the Larder dialect and a {@link Probe}. */
final class Pages {
    final Probe probe = new Probe();
    final TemplateEngine engine = new TemplateEngine();

    Pages(Larder larder) {
        this(LarderDialect.builder(larder).build());
    }

    Pages(LarderDialect dialect) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        engine.setTemplateResolver(resolver);
        engine.addDialect(probe);
        engine.addDialect(dialect);
    }

    String render(String template, Map<String, Object> model) {
        return render(template, model, Locale.ENGLISH);
    }

    String render(String template, Map<String, Object> model, Locale locale) {
        return engine.process(template, new Context(locale, new HashMap<>(model)));
    }

    /** The same render with fragment caching switched off. */
    String renderUncached(String template, Map<String, Object> model) {
        Map<String, Object> off = new HashMap<>(model);
        off.put(LarderDialect.ENABLED_VARIABLE, false);
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
