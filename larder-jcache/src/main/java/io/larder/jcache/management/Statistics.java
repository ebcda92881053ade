package io.larder.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's JCache statistics. Counting happens only while enabled; times are kept in
 * nanoseconds and reported in microseconds, as the specification asks.
 */
public final class Statistics implements CacheStatisticsMXBean {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();
    private final LongSupplier evictions;
    private final Runnable resetEvictions;
    private volatile boolean enabled;

    /** Statistics whose evictions come from the store. */
    public Statistics(LongSupplier evictions, Runnable resetEvictions) {
        this.evictions = evictions;
        this.resetEvictions = resetEvictions;
    }

    /** Whether counting is on. */
    public boolean enabled() {
        return enabled;
    }

    /** Turns counting on or off. */
    public void enable(boolean on) {
        this.enabled = on;
    }

    /** A start time for one of the timings, or 0 when counting is off. */
    public long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** Counts hits, if counting is on. */
    public void hits(int n) {
        if (enabled) {
            hits.add(n);
        }
    }

    /** Counts misses, if counting is on. */
    public void misses(int n) {
        if (enabled) {
            misses.add(n);
        }
    }

    /** Counts puts, if counting is on. */
    public void puts(int n) {
        if (enabled) {
            puts.add(n);
        }
    }

    /** Counts removals, if counting is on. */
    public void removals(int n) {
        if (enabled) {
            removals.add(n);
        }
    }

    /** Records a read that began at {@code start}. */
    public void getTime(long start) {
        if (enabled && start != 0) {
            getNanos.add(System.nanoTime() - start);
        }
    }

    /** Records a write that began at {@code start}. */
    public void putTime(long start) {
        if (enabled && start != 0) {
            putNanos.add(System.nanoTime() - start);
        }
    }

    /** Records a removal that began at {@code start}. */
    public void removeTime(long start) {
        if (enabled && start != 0) {
            removeNanos.add(System.nanoTime() - start);
        }
    }

    @Override
    public void clear() {
        for (LongAdder adder : new LongAdder[] {hits, misses, puts, removals, getNanos, putNanos,
                removeNanos}) {
            adder.reset();
        }
        resetEvictions.run();
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        long gets = getCacheGets();
        return gets == 0 ? 0 : 100f * getCacheHits() / gets;
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        long gets = getCacheGets();
        return gets == 0 ? 0 : 100f * getCacheMisses() / gets;
    }

    @Override
    public long getCacheGets() {
        return hits.sum() + misses.sum();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    @Override
    public long getCacheEvictions() {
        return evictions.getAsLong();
    }

    @Override
    public float getAverageGetTime() {
        return average(getNanos, getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return average(putNanos, getCachePuts());
    }

    @Override
    public float getAverageRemoveTime() {
        return average(removeNanos, getCacheRemovals());
    }

    private static float average(LongAdder nanos, long count) {
        return count == 0 ? 0 : nanos.sum() / 1000f / count;
    }
}
