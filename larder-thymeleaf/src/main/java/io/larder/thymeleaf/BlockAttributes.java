package io.larder.thymeleaf;

import io.larder.FragmentKeys;
import io.larder.Options;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.model.IProcessableElementTag;
import org.thymeleaf.standard.expression.ExpressionSequenceUtils;
import org.thymeleaf.standard.expression.IStandardExpression;
import org.thymeleaf.standard.expression.StandardExpressions;

/**
 * The {@code larder:*} attributes of one block as read from its tag, evaluated per render: the
 * fragment name ({@code cache}: a plain name, or a Thymeleaf expression that gives one), the
 * {@code vary} values and {@code tags} (comma-separated expressions), {@code ttl} and
 * {@code stale} (an expression giving seconds or a {@link Duration}).
 */
record BlockAttributes(String name, String vary, String ttl, String stale, String tags) {
    static final List<String> NAMES = List.of("cache", "vary", "ttl", "stale", "tags");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,54}");

    static BlockAttributes of(IProcessableElementTag tag, String prefix) {
        return new BlockAttributes(tag.getAttributeValue(prefix, "cache"),
                tag.getAttributeValue(prefix, "vary"), tag.getAttributeValue(prefix, "ttl"),
                tag.getAttributeValue(prefix, "stale"), tag.getAttributeValue(prefix, "tags"));
    }

    /** The fragment name; throws {@link IllegalArgumentException} for a bad one. */
    String fragment(ITemplateContext context) {
        if (name != null && PLAIN.matcher(name).matches()) {
            return name;
        }
        Object value = name == null || name.isBlank() ? null : expression(context, name);
        if (value == null) {
            throw new IllegalArgumentException("the cache block's name is empty or null");
        }
        String fragment = value.toString();
        FragmentKeys.region(fragment);
        return fragment;
    }

    Object[] varyValues(ITemplateContext context) {
        return sequence(context, vary).toArray();
    }

    /** The per-render options; throws {@link IllegalArgumentException} for a bad value. */
    Options options(ITemplateContext context) {
        Options options = Options.NONE;
        if (ttl != null) {
            options = options.ttl(duration("ttl", expression(context, ttl)));
        }
        if (stale != null) {
            Duration d = duration("stale", expression(context, stale));
            if (d.isNegative()) {
                throw new IllegalArgumentException("stale must not be negative, was " + d);
            }
            options = options.staleFor(d);
        }
        if (tags != null) {
            List<String> all = new ArrayList<>();
            for (Object value : sequence(context, tags)) {
                addTags(all, value);
            }
            options = options.withTags(all.toArray(String[]::new));
        }
        return options;
    }

    private static void addTags(List<String> all, Object value) {
        if (value instanceof Iterable<?> iterable) {
            iterable.forEach(tag -> addTags(all, tag));
        } else if (value instanceof Object[] array) {
            for (Object tag : array) {
                addTags(all, tag);
            }
        } else if (value == null) {
            throw new IllegalArgumentException("a tag of the cache block is null");
        } else {
            all.add(value.toString());
        }
    }

    /** Seconds (any number, or a numeric string) or a {@link Duration}. */
    static Duration duration(String option, Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        BigDecimal seconds;
        try {
            seconds = value instanceof Number || value instanceof String
                    ? new BigDecimal(value.toString().strip()) : null;
        } catch (NumberFormatException e) {
            seconds = null;
        }
        if (seconds == null) {
            throw new IllegalArgumentException(option
                    + " must be a number of seconds or a Duration, was " + value);
        }
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
    }

    private static Object expression(ITemplateContext context, String text) {
        IStandardExpression expression = StandardExpressions
                .getExpressionParser(context.getConfiguration()).parseExpression(context, text);
        return expression.execute(context);
    }

    private static List<Object> sequence(ITemplateContext context, String text) {
        List<Object> values = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (IStandardExpression e : ExpressionSequenceUtils.parseExpressionSequence(context,
                    text)) {
                values.add(e.execute(context));
            }
        }
        return values;
    }
}
