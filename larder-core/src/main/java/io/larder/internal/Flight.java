package io.larder.internal;

import io.larder.Key;
import io.larder.LoadException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load in progress for one key; every other caller that misses the same key waits for it.
 * Not part of Larder's API.
 */
public final class Flight {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final CompletableFuture<Object> result = new CompletableFuture<>();
    private final Thread owner;
    private final long sequence = SEQUENCE.incrementAndGet();
    private volatile boolean invalidated;
    private volatile List<String> tags;
    private volatile long[] generations;

    /** A flight loaded by {@code owner}, or by a background thread if {@code null}. */
    public Flight(Thread owner) {
        this.owner = owner;
    }

    /**
     * A number that orders flights by creation: a flight whose number is above this value was
     * created after this call, and so loads data committed before it.
     */
    public static long lastSequence() {
        return SEQUENCE.get();
    }

    /** This flight's place in creation order. */
    public long sequence() {
        return sequence;
    }

    /**
     * Records the tags and generations the value is computed under: the declared ones before the
     * loader runs, all of them before completing.
     */
    public void stamp(List<String> tags, long[] generations) {
        this.tags = tags;
        this.generations = generations;
    }

    /** The tags the value was computed under, or {@code null} if unknown. */
    public List<String> tags() {
        return tags;
    }

    /** The generations of {@link #tags()}, or {@code null} if unknown. */
    public long[] generations() {
        return generations;
    }

    /** Marks the value being loaded as outdated: it is still returned, but not stored. */
    public void invalidate() {
        invalidated = true;
    }

    /** Whether {@link #invalidate()} was called. */
    public boolean invalidated() {
        return invalidated;
    }

    /** Hands the value to every waiter. */
    public void complete(Object value) {
        result.complete(value);
    }

    /** Hands the failure to every waiter. */
    public void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }

    /**
     * Waits for the value; rethrows the loader's runtime exception or error as it was, a checked
     * one wrapped in {@link LoadException}.
     *
     * @throws IllegalStateException if the calling thread is the one loading (a loader that
     *     asks for its own key would otherwise wait for itself forever)
     */
    public Object await(Key key) {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("the loader of " + key + " asked for " + key + " itself");
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            throw rethrow(key, e.getCause());
        }
    }

    /** The exception to throw for a loader's failure: unchanged if unchecked, else wrapped. */
    public static RuntimeException rethrow(Key key, Throwable failure) {
        if (failure instanceof RuntimeException r) {
            return r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new LoadException(key, failure);
    }
}
