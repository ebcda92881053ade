package io.larder.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's copy of tag generations, so that a hit costs no round trip for them. It holds
 * values only while the change channel is subscribed (every invalidation announces its tags
 * there): a tag is forgotten when announced, and everything is forgotten when the channel drops.
 * A value read from Redis is kept only if nothing was announced or forgotten while it was in
 * flight (the epoch), so a late read can never overwrite a newer invalidation. Thread-safe.
 */
final class GenerationCache {
    private final int maxTags;
    private final ConcurrentMap<String, Long> known = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean live;

    GenerationCache(int maxTags) {
        this.maxTags = maxTags;
    }

    /** The cached generation of {@code tag}, or {@code null} to read it from Redis. */
    Long get(String tag) {
        return live ? known.get(tag) : null;
    }

    /** To be taken before reading generations from Redis and passed to {@link #learned}. */
    long epoch() {
        return epoch.get();
    }

    /** Keeps a generation read from Redis, unless anything changed since {@code readEpoch}. */
    void learned(String tag, long generation, long readEpoch) {
        if (!live || epoch.get() != readEpoch) {
            return;
        }
        if (known.size() >= maxTags) {
            forgetAll(true);
            return;
        }
        known.put(tag, generation);
        if (epoch.get() != readEpoch) {
            known.remove(tag); // an announcement raced with us: it may be older than Redis now
        }
    }

    /** Forgets {@code tag}: its generation moved. */
    void forget(String tag) {
        epoch.incrementAndGet();
        known.remove(tag);
    }

    /** Forgets every tag; keeps new values only if {@code live} (the channel is subscribed). */
    void forgetAll(boolean live) {
        this.live = live;
        epoch.incrementAndGet();
        known.clear();
    }

    boolean live() {
        return live;
    }
}
