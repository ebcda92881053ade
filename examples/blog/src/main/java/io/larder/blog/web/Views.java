package io.larder.blog.web;

import io.larder.Larder;
import io.larder.Trace;
import io.larder.pebble.LarderExtension;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders the Pebble templates under {@code templates/} (HTML auto-escaped), with larder-pebble's
 * {@code {% cache %}} tag; its blocks cache only where the model enables them. Thread-safe.
 */
public final class Views {
    private final PebbleEngine engine;

    /** Views over the classpath templates; {@code {% cache %}} blocks store in {@code larder}. */
    public Views(Larder larder) {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).strictVariables(false)
                .extension(LarderExtension.builder(larder).varyOnLocale(false).build())
                .extension(PebbleMessages.extension())
                .build();
    }

    /** The error page of {@code status} (404 or 500) in {@code lang}. */
    public String error(int status, String lang) {
        return render("error", Map.of("status", status, "lang", lang));
    }

    /**
     * The HTML of {@code template} with {@code model}. A {@link NotFoundException} raised while
     * rendering (by data read lazily) reaches the caller as it is.
     */
    public String render(String template, Map<String, Object> model) {
        StringWriter out = new StringWriter(16384);
        long start = System.nanoTime();
        try {
            engine.getTemplate(template).evaluate(out, model);
            Trace.record(Trace.TEMPLATE, template, "", System.nanoTime() - start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NotFoundException notFound) {
                    throw notFound;
                }
            }
            throw e;
        }
        return out.toString();
    }
}
