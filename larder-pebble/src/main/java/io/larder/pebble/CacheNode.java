package io.larder.pebble;

import io.larder.FragmentKeys;
import io.larder.Key;
import io.larder.Larder;
import io.larder.LoadException;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.Source;
import io.larder.Trace;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.node.AbstractRenderableNode;
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.node.expression.LiteralStringExpression;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.utils.LimitedSizeWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A {@code {% cache %}} block: inserts the block's cached HTML, or renders the body once (per key,
 * however many renders miss it at once) and caches what it wrote. The body always renders on a
 * snapshot of the context, because a stale hit refreshes it on another thread while this render
 * goes on; the cached string is written as it is, since the body escaped its own output.
 */
final class CacheNode extends AbstractRenderableNode {
    /** What every block of one extension shares. */
    record Settings(Larder larder, boolean varyOnLocale) { }

    private final Settings settings;
    private final Expression<?> name;
    private final String region;
    private final List<Expression<?>> varyOn;
    private final BlockOptions options;
    private final BodyNode body;

    CacheNode(int line, Settings settings, Expression<?> name, List<Expression<?>> varyOn,
            BlockOptions options, BodyNode body) {
        super(line);
        this.settings = settings;
        this.name = name;
        this.region = literalRegion(name);
        this.varyOn = varyOn;
        this.options = options;
        this.body = body;
    }

    @Override
    public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl context)
            throws IOException {
        long start = System.nanoTime();
        String fragment = evaluate(() -> fragmentName(self, context), self);
        EvaluationContextImpl snapshot = Snapshots.of(self, context);
        if (!enabled(context)) {
            body.render(self, writer, snapshot);
            Trace.record(Trace.FRAGMENT, fragment, "", System.nanoTime() - start);
            return;
        }
        Key key = evaluate(() -> key(fragment, self, context), self);
        Options perBlock = evaluate(() -> options.evaluate(self, context), self);
        Lookup<String> html;
        try {
            html = settings.larder().lookup(key, String.class, perBlock,
                    Source.of(() -> renderBody(self, snapshot)));
        } catch (PebbleException e) {
            throw e;
        } catch (LoadException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw error(e.getCause(), "cache block '" + fragment + "' failed", self);
        } catch (RuntimeException e) {
            throw error(e, "cache block '" + fragment + "' failed: " + e.getMessage(), self);
        }
        writer.write(html.value());
        Trace.record(Trace.FRAGMENT, fragment, html.outcome().traceName(),
                System.nanoTime() - start);
    }

    /** Visits the block itself, then its body: the autoescaper and block registration need it. */
    @Override
    public void accept(NodeVisitor visitor) {
        visitor.visit(this);
        body.accept(visitor);
    }

    private String fragmentName(PebbleTemplateImpl self, EvaluationContextImpl context) {
        if (region != null) {
            return region.substring(FragmentKeys.REGION_PREFIX.length());
        }
        Object value = name.evaluate(self, context);
        if (value == null) {
            throw new IllegalArgumentException("the cache block's name is null");
        }
        String fragment = value.toString();
        FragmentKeys.region(fragment);
        return fragment;
    }

    private Key key(String fragment, PebbleTemplateImpl self, EvaluationContextImpl context) {
        Object[] values = new Object[varyOn.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = varyOn.get(i).evaluate(self, context);
        }
        Locale locale = settings.varyOnLocale() ? context.getLocale() : null;
        String regionName = region != null ? region : FragmentKeys.REGION_PREFIX + fragment;
        return FragmentKeys.key(regionName, locale == null ? null : locale.toLanguageTag(), values);
    }

    private static boolean enabled(EvaluationContextImpl context) {
        Object enabled = context.getVariable(LarderExtension.ENABLED_VARIABLE);
        return !(Boolean.FALSE.equals(enabled) || "false".equals(enabled));
    }

    private static String literalRegion(Expression<?> name) {
        return name instanceof LiteralStringExpression l
                ? FragmentKeys.region(l.getValue()) : null;
    }

    private <T> T evaluate(Supplier<T> step, PebbleTemplateImpl self) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw error(e, e.getMessage(), self);
        }
    }

    private PebbleException error(Throwable cause, String message, PebbleTemplateImpl self) {
        return new PebbleException(cause, message, getLineNumber(), self.getName());
    }

    /** Renders the body on the snapshot into a string. */
    private String renderBody(PebbleTemplateImpl self, EvaluationContextImpl snapshot)
            throws IOException {
        StringWriter out = new StringWriter();
        body.render(self, LimitedSizeWriter.from(out, snapshot), snapshot);
        return out.toString();
    }
}
