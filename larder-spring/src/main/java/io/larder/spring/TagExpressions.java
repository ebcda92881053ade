package io.larder.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Evaluates the SpEL of {@link CacheTags} and {@link InvalidateTags} against a call: the
 * arguments by name ({@code #id}) or position ({@code #p0}, {@code #a0}), {@code #root.method},
 * {@code #root.args}, {@code #root.target}, and {@code #result} where there is one. Expressions
 * are parsed once.
 */
final class TagExpressions {
    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();
    private final ConcurrentMap<String, Expression> parsed = new ConcurrentHashMap<>();

    /** The root object of the expressions. */
    public record Root(Method method, Object[] args, Object target) { }

    /** The tags {@code expressions} give for this call; a {@code null} result gives none. */
    List<String> evaluate(String[] expressions, Method method, Object[] args, Object target,
            Object result, boolean hasResult) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
                new Root(method, args, target), method, args, NAMES);
        if (hasResult) {
            context.setVariable("result", result);
        }
        List<String> tags = new ArrayList<>(expressions.length);
        for (String expression : expressions) {
            Object value = parsed.computeIfAbsent(expression, PARSER::parseExpression)
                    .getValue(context);
            add(value, tags, expression);
        }
        return tags;
    }

    private static void add(Object value, List<String> tags, String expression) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> many) {
            many.forEach(v -> add(v, tags, expression));
        } else if (value instanceof Object[] many) {
            for (Object v : many) {
                add(v, tags, expression);
            }
        } else if (value instanceof CharSequence || value instanceof Number) {
            tags.add(value.toString());
        } else {
            throw new IllegalArgumentException("tag expression '" + expression + "' gave a "
                    + value.getClass().getName() + "; it must give a string or strings");
        }
    }
}
