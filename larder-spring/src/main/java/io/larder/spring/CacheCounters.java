package io.larder.spring;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a Spring cache was asked, counted on the Spring side (Larder's region stats count loads
 * and store traffic; a plain {@code get} without a loader is a peek, which they do not count).
 */
public final class CacheCounters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder puts = new LongAdder();
    final LongAdder evictions = new LongAdder();

    CacheCounters() {
    }

    /** Reads that returned a cached value (fresh, or stale with a loader). */
    public long hits() {
        return hits.sum();
    }

    /** Reads that found nothing usable. */
    public long misses() {
        return misses.sum();
    }

    /** Values written, by {@code put} or by a load. */
    public long puts() {
        return puts.sum();
    }

    /** Keys evicted by {@code evict}. */
    public long evictions() {
        return evictions.sum();
    }
}
