package io.larder.redis;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * The tag side of a {@link RedisStore}, as its outages allow it: generations read from Redis
 * (cached ones only while the change channel answered a ping within the near-cache bound, none
 * while the store catches up after an outage), invalidations made in one round trip or queued
 * until Redis answers, and markers, never set while invalidations are queued. Thread-safe.
 */
final class RedisTags {
    private final RedisStore store;
    private final TagCounters counters;
    private final GenerationCache generations;
    private final Outages outages;
    private final long nearCacheBoundMillis;

    RedisTags(RedisStore store, TagCounters counters, GenerationCache generations,
            Outages outages, long nearCacheBoundMillis) {
        this.store = store;
        this.counters = counters;
        this.generations = generations;
        this.outages = outages;
        this.nearCacheBoundMillis = nearCacheBoundMillis;
    }

    /** Whether cached generations may be served: a channel ping answered within the bound. */
    boolean trusted() {
        return outages.trusted(store.now(), nearCacheBoundMillis);
    }

    /** The tags' generations; throws while the store catches up after an outage. */
    long[] generations(List<String> tags) {
        RedisConnection connection = store.redis();
        if (!outages.synced()) {
            throw new RedisUnavailableException("Redis at " + connection.where()
                    + " is catching up after an outage");
        }
        return counters.read(tags, trusted());
    }

    /** Increments and announces the tags' counters, or queues them while Redis fails. */
    void invalidate(Collection<String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        List<String> list = List.copyOf(tags);
        try {
            counters.increment(list);
        } catch (RuntimeException e) {
            outages.queueTags(list, e);
        }
    }

    /** Deletes every counter of the prefix; every node forgets its generations and copies. */
    void invalidateAll() {
        counters.deleteAll();
        generations.forgetAll(outages.live());
    }

    OptionalLong marker(String name) {
        return counters.marker(name);
    }

    /** Sets a marker; throws while invalidations are queued (it must not say more than Redis). */
    void marker(String name, long value) {
        if (!outages.nothingQueued()) {
            throw new RedisUnavailableException("invalidations are queued for Redis at "
                    + store.redis().where());
        }
        counters.marker(name, value);
    }
}
