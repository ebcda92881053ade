package io.larder.pebble;

import io.pebbletemplates.pebble.node.ForNode;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of an evaluation context that a block body can render on, now or later on another
 * thread, without sharing mutable state with the render that goes on: Pebble's own
 * {@code threadSafeCopy} (as its {@code {% parallel %}} tag uses), plus a frozen {@code loop}
 * variable, because without an executor service Pebble's for loop updates one loop object in
 * place on every iteration.
 */
final class Snapshots {
    private Snapshots() {
    }

    static EvaluationContextImpl of(PebbleTemplateImpl self, EvaluationContextImpl context) {
        EvaluationContextImpl copy = context.threadSafeCopy(self);
        if (copy.getScopeChain().get("loop") instanceof ForNode.LoopVariables loop) {
            Map<String, Object> top = new HashMap<>();
            top.put("loop", frozen(loop));
            copy.getScopeChain().pushScope(top);
        }
        return copy;
    }

    /** The loop's values now, printed as Pebble prints its loop object. */
    private static Map<String, Object> frozen(ForNode.LoopVariables loop) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("last", loop.isLast());
        values.put("length", loop.getLength());
        values.put("index", loop.getIndex());
        values.put("revindex", loop.getRevindex());
        values.put("first", loop.isFirst());
        return Collections.unmodifiableMap(values);
    }
}
