package io.larder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The timings of one unit of work (usually one HTTP request) on one thread: every cache read,
 * load, fragment render or query recorded while the trace is open. Web integrations open one per
 * request and turn it into a {@code Server-Timing} header.
 *
 * <pre>{@code
 * try (Trace trace = Trace.begin()) {
 *     handle(request);
 *     header("Server-Timing", format(trace.spans()));
 * }
 * }</pre>
 */
public final class Trace implements AutoCloseable {
    /** The span kind of a cache read ({@link Larder#get}), named by its region. */
    public static final String CACHE = "cache";
    /** The span kind of a template fragment, named by the fragment. */
    public static final String FRAGMENT = "fragment";
    /** The span kind of a whole page served through a page cache, named by its route. */
    public static final String PAGE = "page";
    /** The span kind of a database query, named by its shape. */
    public static final String DB = "db";
    /** The span kind of a whole template render, named by the template. */
    public static final String TEMPLATE = "template";
    private static final ThreadLocal<Trace> CURRENT = new ThreadLocal<>();

    private final Trace outer;
    private final long startNanos = System.nanoTime();
    private final List<Span> spans = Collections.synchronizedList(new ArrayList<>());

    private Trace(Trace outer) {
        this.outer = outer;
    }

    /** Opens a trace on this thread; close it on the same thread. */
    public static Trace begin() {
        Trace trace = new Trace(CURRENT.get());
        CURRENT.set(trace);
        return trace;
    }

    /**
     * Records a span in the trace open on this thread, if any; costs a thread-local read if none.
     */
    public static void record(String kind, String name, String outcome, long nanos) {
        Trace trace = CURRENT.get();
        if (trace != null) {
            trace.spans.add(new Span(kind, name, outcome, nanos, CurrentLoad.active(),
                    trace.elapsedNanos()));
        }
    }

    /** Whether a trace is open on this thread. */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    /** The spans recorded so far, in order. */
    public List<Span> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** Nanoseconds since the trace began. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Closes the trace and restores the one it was opened in, if any. */
    @Override
    public void close() {
        if (CURRENT.get() == this) {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * One timed piece of work.
     *
     * @param kind what it was: {@link #CACHE}, {@link #FRAGMENT}, {@link #DB}, {@link #PAGE}...
     * @param name which one: the region, fragment or query name
     * @param outcome an {@link Outcome#traceName()} ({@code "hit"}, {@code "stale"},
     *     {@code "miss"}, {@code "joined"}), or empty
     * @param nanos how long it took
     * @param inLoad whether it ran inside a cache loader: work paid only on a miss
     * @param endNanos when it ended, in nanoseconds since the trace began (so spans nest:
     *     a span that began and ended within another ran inside it)
     */
    public record Span(String kind, String name, String outcome, long nanos, boolean inLoad,
            long endNanos) {
        /** When it began, in nanoseconds since the trace began. */
        public long startNanos() {
            return endNanos - nanos;
        }

        /** Whether {@code other} ran within this span. */
        public boolean contains(Span other) {
            return other.startNanos() >= startNanos() && other.endNanos <= endNanos;
        }
    }
}
