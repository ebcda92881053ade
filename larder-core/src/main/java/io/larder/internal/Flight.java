package io.larder.internal;

import io.larder.Key;
import io.larder.LoadException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One load in progress for one key; every other caller that misses the same key waits for it.
 * Not part of Larder's API.
 */
public final class Flight {
    private final CompletableFuture<Object> result = new CompletableFuture<>();
    private final Thread owner;
    /** {@link #generation()} of a flight whose loader has not started yet. */
    public static final long NOT_STARTED = Long.MIN_VALUE;

    private volatile boolean invalidated;
    private volatile long generation = NOT_STARTED;

    /** A flight loaded by {@code owner}, or by a background thread if {@code null}. */
    public Flight(Thread owner) {
        this.owner = owner;
    }

    /** Marks the value being loaded as outdated: it is still returned, but not stored. */
    public void invalidate() {
        invalidated = true;
    }

    /**
     * Records the generation of the "any invalidation" tag read just before the loader starts;
     * call it before running the loader.
     */
    public void started(long anyGeneration) {
        generation = anyGeneration;
    }

    /** The generation recorded by {@link #started(long)}, or {@link #NOT_STARTED}. */
    public long generation() {
        return generation;
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
