package io.larder.pebble;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Pebble function, {@code {{ count("name") }}}, that prints nothing and counts how many
 * times the template code around it ran; an optional hook runs on each call (to hold a render).
 */
final class Probe extends AbstractExtension {
    private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    volatile Runnable onCount = () -> { };

    int count(String name) {
        AtomicInteger count = counts.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public Map<String, Function> getFunctions() {
        return Map.of("count", new Function() {
            @Override
            public List<String> getArgumentNames() {
                return List.of("name");
            }

            @Override
            public Object execute(Map<String, Object> args, PebbleTemplate self,
                    EvaluationContext context, int lineNumber) {
                counts.computeIfAbsent((String) args.get("name"), n -> new AtomicInteger())
                        .incrementAndGet();
                onCount.run();
                return "";
            }
        });
    }
}
