package io.larder.thymeleaf;

import io.larder.FragmentKeys;
import io.larder.Key;
import io.larder.Larder;
import io.larder.LoadException;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.Source;
import io.larder.Trace;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Supplier;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.exceptions.TemplateProcessingException;
import org.thymeleaf.inline.NoOpInliner;
import org.thymeleaf.model.IAttribute;
import org.thymeleaf.model.ICloseElementTag;
import org.thymeleaf.model.IModel;
import org.thymeleaf.model.IModelFactory;
import org.thymeleaf.model.IOpenElementTag;
import org.thymeleaf.model.IProcessableElementTag;
import org.thymeleaf.model.ITemplateEvent;
import org.thymeleaf.processor.element.AbstractElementModelProcessor;
import org.thymeleaf.processor.element.IElementModelStructureHandler;
import org.thymeleaf.templatemode.TemplateMode;

/**
 * The {@code larder:cache} attribute: replaces its element with the element's cached HTML, or
 * renders the element once (per key, however many renders miss it at once) and caches what it
 * made. The element always renders on a snapshot of the context ({@link Snapshots}), because a
 * stale hit refreshes it on another thread after this render has moved on; the cached HTML is
 * inserted as it is, since the element escaped its own output, and is never inlined again.
 */
final class CacheProcessor extends AbstractElementModelProcessor {
    private final Larder larder;
    private final boolean varyOnLocale;

    CacheProcessor(TemplateMode mode, String prefix, Larder larder, boolean varyOnLocale) {
        super(mode, prefix, null, false, "cache", true, LarderDialect.PRECEDENCE);
        this.larder = larder;
        this.varyOnLocale = varyOnLocale;
    }

    @Override
    protected void doProcess(ITemplateContext context, IModel model,
            IElementModelStructureHandler structureHandler) {
        long start = System.nanoTime();
        IProcessableElementTag tag = (IProcessableElementTag) model.get(0);
        String prefix = getDialectPrefix();
        BlockAttributes block = BlockAttributes.of(tag, prefix);
        IModelFactory factory = context.getModelFactory();
        IProcessableElementTag bare = tag;
        for (String name : BlockAttributes.NAMES) {
            bare = factory.removeAttribute(bare, prefix, name);
        }
        model.replace(0, bare);
        String fragment = evaluate(() -> block.fragment(context), tag);
        if (!enabled(context)) {
            // Thymeleaf renders the element as if the attributes were not there.
            Trace.record(Trace.FRAGMENT, fragment, "", System.nanoTime() - start);
            return;
        }
        Key key = evaluate(() -> key(fragment, block, context), tag);
        Options options = evaluate(() -> block.options(context), tag);
        Snapshots.Render render = Snapshots.of(context, source(model), tag);
        Lookup<String> html;
        try {
            html = larder.lookup(key, String.class, options, Source.of(render::render));
        } catch (TemplateProcessingException e) {
            throw e;
        } catch (LoadException e) {
            throw error("cache block '" + fragment + "' failed: " + e.getCause(), tag,
                    e.getCause());
        } catch (RuntimeException e) {
            throw error("cache block '" + fragment + "' failed: " + e.getMessage(), tag, e);
        }
        model.reset();
        model.add(factory.createText(html.value()));
        // The HTML is final: an inlined expression in it ([[...]]) is text, not template code.
        structureHandler.setInliner(NoOpInliner.INSTANCE);
        Trace.record(Trace.FRAGMENT, fragment, html.outcome().traceName(),
                System.nanoTime() - start);
    }

    private Key key(String fragment, BlockAttributes block, ITemplateContext context) {
        Locale locale = varyOnLocale ? context.getLocale() : null;
        return FragmentKeys.key(FragmentKeys.region(fragment),
                locale == null ? null : locale.toLanguageTag(), block.varyValues(context));
    }

    private static boolean enabled(ITemplateContext context) {
        Object enabled = context.getVariable(LarderDialect.ENABLED_VARIABLE);
        return !(Boolean.FALSE.equals(enabled) || "false".equals(enabled));
    }

    /**
     * The element's template code, its Larder attributes removed. An inlined expression in text
     * ({@code [[${x}]]}, {@code [(${x})]}) was parsed into a {@code th:block} with
     * {@code th:text} or {@code th:utext} and no space before it, which does not write back as
     * template code: it is written as it was in the template.
     */
    private static String source(IModel model) {
        StringWriter out = new StringWriter();
        try {
            for (int i = 0; i < model.size(); i++) {
                ITemplateEvent event = model.get(i);
                StringWriter written = new StringWriter();
                event.write(written);
                if (event instanceof IOpenElementTag tag && inlined(tag, written.toString())) {
                    inline(tag, out);
                    if (i + 1 < model.size() && model.get(i + 1) instanceof ICloseElementTag) {
                        i++;
                    }
                } else {
                    out.append(written.getBuffer());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Whether {@code tag} (written as {@code text}) came from an inlined expression. */
    private static boolean inlined(IOpenElementTag tag, String text) {
        int after = 1 + tag.getElementCompleteName().length();
        return tag.getAllAttributes().length == 1 && text.length() > after
                && !Character.isWhitespace(text.charAt(after)) && text.charAt(after) != '>'
                && text.charAt(after) != '/';
    }

    private static void inline(IOpenElementTag tag, StringWriter out) {
        IAttribute attribute = tag.getAllAttributes()[0];
        String name = attribute.getAttributeCompleteName();
        if (name.endsWith("utext")) {
            out.append("[(").append(attribute.getValue()).append(")]");
        } else {
            out.append("[[").append(attribute.getValue()).append("]]");
        }
    }

    private <T> T evaluate(Supplier<T> step, IProcessableElementTag tag) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), tag, e);
        }
    }

    private static TemplateProcessingException error(String message, IProcessableElementTag tag,
            Throwable cause) {
        return new TemplateProcessingException(message, tag.getTemplateName(), tag.getLine(),
                tag.getCol(), cause);
    }
}
