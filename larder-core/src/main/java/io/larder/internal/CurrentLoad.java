package io.larder.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load running on this thread, if any, and the tags it picked up while running: the tags of
 * every cached entry it read (with the generations those entries were written under) and tags
 * named by integrations (for example, the entities an ORM loaded). A cached fragment that reads
 * a cached query result so carries the query's tags. Not part of Larder's API.
 */
public final class CurrentLoad {
    private static final ThreadLocal<CurrentLoad> CURRENT = new ThreadLocal<>();

    private final CurrentLoad outer;
    private final Map<String, Long> inherited = new LinkedHashMap<>();
    private final Set<String> named = new LinkedHashSet<>();

    private CurrentLoad(CurrentLoad outer) {
        this.outer = outer;
    }

    /** Starts a load on this thread; {@link #exit()} it in a finally block. */
    public static CurrentLoad enter() {
        CurrentLoad load = new CurrentLoad(CURRENT.get());
        CURRENT.set(load);
        return load;
    }

    /** Ends this load; the enclosing one, if any, becomes current again. */
    public void exit() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** Whether a load is running on this thread. */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    /** Adds tags, named by the application or an integration, to the load on this thread. */
    public static void tag(String... tags) {
        CurrentLoad load = CURRENT.get();
        if (load != null) {
            load.named.addAll(List.of(tags));
        }
    }

    /** Passes the tags of an entry read or written to the load on this thread, if any. */
    public static void inherit(List<String> tags, long[] generations) {
        CurrentLoad load = CURRENT.get();
        if (load == null) {
            return;
        }
        for (int i = 0; i < generations.length; i++) {
            // Two entries may have seen two generations of a tag: keep the older, the safe one.
            load.inherited.merge(tags.get(i), generations[i], Math::min);
        }
    }

    /** The tags of entries read during this load, with their generations. */
    public Map<String, Long> inherited() {
        return inherited;
    }

    /** The tags named during this load. */
    public Set<String> named() {
        return named;
    }
}
