package io.larder;

import io.larder.Key;
import io.larder.LoadException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load in progress for one key; every other caller that misses the same key waits for it.
 *
 */
final class Flight {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final CompletableFuture<Object> result = new CompletableFuture<>();
    /** What a flight completes with when it has no value its waiters may take. */
    static final Object NO_VALUE = new Object();
    /** What {@link #await} returns instead of waiting when waiting would close a cycle. */
    static final Object WOULD_DEADLOCK = new Object();
    /** The flight each thread is waiting for, to find cycles of loaders waiting on each other. */
    private static final ConcurrentHashMap<Thread, Flight> WAITING = new ConcurrentHashMap<>();

    private volatile Thread owner;
    private final long sequence = SEQUENCE.incrementAndGet();
    private volatile boolean invalidated;
    private volatile List<String> tags;
    private volatile long[] generations;

    /**
     * A flight loaded by {@code owner}, or by a background thread not yet known if {@code null}.
     */
    Flight(Thread owner) {
        this.owner = owner;
    }

    /** Records the thread that runs the loader (for a flight made before that thread ran it). */
    void runBy(Thread thread) {
        this.owner = thread;
    }

    /**
     * A number that orders flights by creation: a flight whose number is above this value was
     * created after this call, and so loads data committed before it.
     */
    static long lastSequence() {
        return SEQUENCE.get();
    }

    /** This flight's place in creation order. */
    long sequence() {
        return sequence;
    }

    /**
     * Records the tags and generations the value is computed under: the declared ones before the
     * loader runs, all of them before completing.
     */
    void stamp(List<String> tags, long[] generations) {
        this.tags = tags;
        this.generations = generations;
    }

    /** The tags the value was computed under, or {@code null} if unknown. */
    List<String> tags() {
        return tags;
    }

    /** The generations of {@link #tags()}, or {@code null} if unknown. */
    long[] generations() {
        return generations;
    }

    /** Marks the value being loaded as outdated: it is still returned, but not stored. */
    void invalidate() {
        invalidated = true;
    }

    /** Whether {@link #invalidate()} was called. */
    boolean invalidated() {
        return invalidated;
    }

    /** Hands the value to every waiter. */
    void complete(Object value) {
        result.complete(value);
    }

    /** Hands the failure to every waiter. */
    void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }

    /**
     * Waits for the value; rethrows the loader's runtime exception or error as it was, a checked
     * one wrapped in {@link LoadException}.
     *
     * @return the value, or {@link #WOULD_DEADLOCK} if the loader of this flight is itself waiting,
     *     directly or through other loaders, for a flight the calling thread loads
     * @throws IllegalStateException if the calling thread is the one loading (a loader that
     *     asks for its own key would otherwise wait for itself forever)
     */
    Object await(Key key) {
        Thread me = Thread.currentThread();
        if (owner == me) {
            throw new IllegalStateException(
                    "the loader of " + key + " asked for " + key + " itself");
        }
        WAITING.put(me, this);
        try {
            if (closesCycle(me)) {
                // Two loaders each wait for the other's key (nested fragments in opposite orders):
                // the caller loads on its own instead of waiting forever.
                return WOULD_DEADLOCK;
            }
            return result.join();
        } catch (CompletionException e) {
            throw rethrow(key, e.getCause());
        } finally {
            WAITING.remove(me);
        }
    }

    /**
     * Whether the chain "flight, its owner, the flight that owner waits for..." reaches {@code me}.
     */
    private boolean closesCycle(Thread me) {
        Flight flight = this;
        for (int hops = 0; flight != null && hops < 64; hops++) {
            Thread loader = flight.owner;
            if (loader == null) {
                return false;
            }
            if (loader == me) {
                return true;
            }
            flight = WAITING.get(loader);
        }
        return false;
    }

    /** The exception to throw for a loader's failure: unchanged if unchecked, else wrapped. */
    static RuntimeException rethrow(Key key, Throwable failure) {
        if (failure instanceof RuntimeException r) {
            return r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new LoadException(key, failure);
    }
}
