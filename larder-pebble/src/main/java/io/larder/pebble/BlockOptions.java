package io.larder.pebble;

import io.larder.Options;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's {@code ttl=}, {@code stale=} and {@code tags=} options: expressions evaluated per
 * render, or durations fixed when the template compiled (literal numbers), each may be absent.
 */
record BlockOptions(Expression<?> ttl, Duration fixedTtl, Expression<?> stale, Duration fixedStale,
        Expression<?> tags) {

    /** The options for one render; throws {@link IllegalArgumentException} for a bad value. */
    Options evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
        Options options = Options.NONE;
        Duration t = fixedTtl != null ? fixedTtl
                : ttl == null ? null : duration("ttl", ttl.evaluate(self, context));
        if (t != null) {
            options = options.ttl(t);
        }
        Duration s = fixedStale != null ? fixedStale
                : stale == null ? null : duration("stale", stale.evaluate(self, context));
        if (s != null) {
            options = options.staleFor(s);
        }
        if (tags != null) {
            options = options.withTags(tagList(tags.evaluate(self, context)));
        }
        return options;
    }

    /** A TTL or stale window given as seconds (any number) or a {@link Duration}, checked. */
    static Duration duration(String option, Object value) {
        Duration duration;
        if (value instanceof Duration d) {
            duration = d;
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            duration = Duration.ofSeconds(((Number) value).longValue());
        } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            duration = Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        } else {
            throw new IllegalArgumentException(option
                    + " must be a number of seconds or a Duration, was " + value);
        }
        if ("ttl".equals(option)) {
            Options.NONE.ttl(duration);
        } else {
            Options.NONE.staleFor(duration);
        }
        return duration;
    }

    private static String[] tagList(Object value) {
        List<String> list = new ArrayList<>();
        if (value instanceof Iterable<?> iterable) {
            iterable.forEach(tag -> list.add(tagString(tag)));
        } else if (value instanceof Object[] array) {
            for (Object tag : array) {
                list.add(tagString(tag));
            }
        } else if (value != null) {
            list.add(tagString(value));
        }
        return list.toArray(new String[0]);
    }

    private static String tagString(Object tag) {
        if (tag == null) {
            throw new IllegalArgumentException("a tag of the cache block is null");
        }
        return tag.toString();
    }
}
