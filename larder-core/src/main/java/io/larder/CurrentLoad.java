package io.larder;

import io.larder.spi.StoredEntry;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load running on this thread, if any, and the tags it picked up while running: the tags of
 * every cached entry it read (with the generations those entries were written under) and tags
 * named by integrations (for example, the entities an ORM loaded). A cached fragment that reads
 * a cached query result so carries the query's tags.
 */
final class CurrentLoad {
    private static final ThreadLocal<CurrentLoad> CURRENT = new ThreadLocal<>();

    private final CurrentLoad outer;
    // Made on first use: most loads read no other entry and name no tag.
    private Map<String, Long> inherited;
    private Set<String> named;

    private CurrentLoad(CurrentLoad outer) {
        this.outer = outer;
    }

    /** Starts a load on this thread; {@link #exit()} it in a finally block. */
    static CurrentLoad enter() {
        CurrentLoad load = new CurrentLoad(CURRENT.get());
        CURRENT.set(load);
        return load;
    }

    /** Ends this load; the enclosing one, if any, becomes current again. */
    void exit() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** Whether a load is running on this thread. */
    static boolean active() {
        return CURRENT.get() != null;
    }

    /** Adds tags, named by the application or an integration, to the load on this thread. */
    static void tag(String... tags) {
        CurrentLoad load = CURRENT.get();
        if (load != null) {
            if (load.named == null) {
                load.named = new LinkedHashSet<>();
            }
            load.named.addAll(List.of(tags));
        }
    }

    /** Passes the tags of an entry read to the load on this thread, if any (no copy otherwise). */
    static void inherit(StoredEntry entry) {
        if (CURRENT.get() != null) {
            inherit(entry.tags(), entry.generations());
        }
    }

    /** Passes the tags of an entry read or written to the load on this thread, if any. */
    static void inherit(List<String> tags, long[] generations) {
        CurrentLoad load = CURRENT.get();
        if (load == null || generations.length == 0) {
            return;
        }
        if (load.inherited == null) {
            load.inherited = new LinkedHashMap<>();
        }
        for (int i = 0; i < generations.length; i++) {
            // Two entries may have seen two generations of a tag: keep the older, the safe one.
            load.inherited.merge(tags.get(i), generations[i], Math::min);
        }
    }

    /** The tags of entries read during this load, with their generations. */
    Map<String, Long> inherited() {
        return inherited == null ? Map.of() : inherited;
    }

    /** The tags named during this load. */
    Set<String> named() {
        return named == null ? Set.of() : named;
    }
}
