package io.larder.thymeleaf;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.dialect.AbstractDialect;
import org.thymeleaf.dialect.IExpressionObjectDialect;
import org.thymeleaf.expression.IExpressionObjectFactory;

/**
 * A real Thymeleaf expression object, {@code ${#probe.count('name')}}, that prints nothing and
 * counts how many times the template code around it ran; an optional hook runs on each call.
 */
final class Probe extends AbstractDialect implements IExpressionObjectDialect {
    private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    volatile Runnable onCount = () -> { };

    Probe() {
        super("probe");
    }

    int count(String name) {
        AtomicInteger count = counts.get(name);
        return count == null ? 0 : count.get();
    }

    /** The object templates call. */
    public final class Counter {
        /** Counts one run of {@code name}; prints nothing. */
        public String count(String name) {
            counts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            onCount.run();
            return "";
        }
    }

    @Override
    public IExpressionObjectFactory getExpressionObjectFactory() {
        Counter counter = new Counter();
        return new IExpressionObjectFactory() {
            @Override
            public Set<String> getAllExpressionObjectNames() {
                return Set.of("probe");
            }

            @Override
            public Object buildObject(IExpressionContext context, String name) {
                return counter;
            }

            @Override
            public boolean isCacheable(String name) {
                return true;
            }
        };
    }
}
