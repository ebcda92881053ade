package io.larder.redis;

import io.larder.Key;
import io.larder.spi.ErrorLog;
import io.larder.spi.Store;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link RedisStore} does about a Redis that was away or lost its data. Each loss (the
 * breaker opened, the channel dropped, an invalidation had to be queued, the epoch changed)
 * makes the store serve nothing until the probe, once Redis answers and the channel is back,
 * has replayed what was queued and let every listener catch up
 * ({@link Store.Listener#reconnected()}). While healthy, the probe pings the channel: cached
 * generations are trusted only while a ping answered recently. Thread-safe.
 */
final class Outages {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
    private static final int MAX_PENDING = 10_000;

    private final RedisStore store;
    private final RedisKeys keys;
    private final TagCounters counters;
    private final GenerationCache generations;
    private final SecureRandom random;
    private final AtomicLong losses = new AtomicLong();
    private final Set<String> pendingTags = ConcurrentHashMap.newKeySet();
    private final Set<Key> pendingRemovals = ConcurrentHashMap.newKeySet();
    private final ErrorLog queued = new ErrorLog(LOG, 60);
    final LongAdder lostTrack = new LongAdder();
    private volatile long syncedThrough;
    /** When (Larder clock) the last ping that the change channel answered was sent. */
    private volatile long lastContact = Long.MIN_VALUE;
    private volatile boolean overflow;
    private volatile boolean subscribed;
    private volatile String epoch;
    private volatile boolean policyChecked;

    Outages(RedisStore store, RedisKeys keys, TagCounters counters, GenerationCache generations,
            SecureRandom random) {
        this.store = store;
        this.keys = keys;
        this.counters = counters;
        this.generations = generations;
        this.random = random;
    }

    /** Whether the store caught up since its last loss (it may serve). */
    boolean synced() {
        return syncedThrough == losses.get();
    }

    /** Whether cached generations may be used at {@code now}: a ping answered recently. */
    boolean trusted(long now, long boundMillis) {
        long contact = lastContact;
        return contact != Long.MIN_VALUE && now - contact <= boundMillis;
    }

    boolean subscribed() {
        return subscribed;
    }

    /** Whether nothing is queued: a marker may then be written. */
    boolean nothingQueued() {
        return pendingTags.isEmpty() && pendingRemovals.isEmpty() && !overflow;
    }

    /** Changes may have been missed: serve nothing until {@link #upkeep} caught up. */
    void lose() {
        losses.incrementAndGet();
        generations.forgetAll(false);
    }

    /** {@link #lose()}, and every listener drops its copies. */
    void loseTrack() {
        lose();
        notifyLost();
    }

    void notifyLost() {
        lostTrack.increment();
        for (Store.Listener listener : store.listeners()) {
            listener.lostTrack();
        }
    }

    /** An invalidation that failed: applied when Redis answers; this node serves nothing till. */
    void queueTags(Collection<String> tags, RuntimeException why) {
        for (String tag : tags) {
            remember(pendingTags, tag);
        }
        loseTrack();
        queued.report("invalidate tags in Redis",
                "queued until Redis answers (the cache is bypassed meanwhile)", why);
    }

    /** A removal that failed: applied when Redis answers. */
    void queueRemoval(Key key, RuntimeException why) {
        remember(pendingRemovals, key);
        lose();
        queued.report("remove a " + key.region() + " entry in Redis",
                "queued until Redis answers (the cache is bypassed meanwhile)", why);
    }

    private <T> void remember(Set<T> pending, T item) {
        if (pending.size() < MAX_PENDING) {
            pending.add(item);
        } else {
            overflow = true; // too many to keep: every entry is invalidated instead
        }
    }

    /** The change channel is subscribed (again). */
    void channelUp() {
        subscribed = true;
        generations.forgetAll(synced() && pendingTags.isEmpty());
        notifyLost();
    }

    /** The change channel dropped, or the breaker opened. */
    void channelDown(boolean unsubscribed) {
        if (unsubscribed) {
            subscribed = false;
        }
        lose();
        notifyLost();
    }

    /** Whether cached generations may be kept now (after an 'everything' announcement). */
    boolean live() {
        return synced() && subscribed && pendingTags.isEmpty();
    }

    /**
     * Run by the probe while Redis answers: pings the change channel, notices a Redis that lost
     * its data, and after a loss replays what was queued and lets the listeners catch up before
     * the store serves again.
     */
    void upkeep() {
        long sent = store.now();
        if (store.redis().pingChannel()) {
            lastContact = sent;
        }
        checkEpoch();
        checkEvictionPolicy();
        long target = losses.get();
        replay();
        if (syncedThrough == target || !subscribed || !nothingQueued()) {
            return;
        }
        for (Store.Listener listener : store.listeners()) {
            listener.reconnected(); // one that fails leaves the store behind: tried next time
        }
        generations.forgetAll(true);
        syncedThrough = target;
        if (target != losses.get()) {
            generations.forgetAll(false); // lost again meanwhile
        }
    }

    /** Applies what failed while Redis was away. */
    private void replay() {
        if (overflow) {
            counters.deleteAll();
            overflow = false;
            pendingTags.clear();
        }
        if (!pendingTags.isEmpty()) {
            List<String> tags = new ArrayList<>(pendingTags);
            counters.increment(tags);
            pendingTags.removeAll(tags);
        }
        for (Key key : new ArrayList<>(pendingRemovals)) {
            store.entries().remove(key);
            pendingRemovals.remove(key);
            store.listeners().forEach(listener -> listener.changed(key));
        }
    }

    /**
     * Reads {@code <prefix>@epoch}, a random value set once: another value, or none, means Redis
     * lost its data (flushed, restarted without persistence, evicted), so every cached
     * generation and near copy is dropped and the listeners catch up again.
     */
    private void checkEpoch() {
        RedisConnection redis = store.redis();
        byte[] key = keys.epoch();
        byte[] value = redis.call(c -> c.get(key));
        if (value == null) {
            redis.call(c -> c.set(key, RedisKeys.ascii(Long.toString(random.nextLong() >>> 1)),
                    SetArgs.Builder.nx()));
            value = redis.call(c -> c.get(key));
        }
        String now = value == null ? null : new String(value, StandardCharsets.US_ASCII);
        String known = epoch;
        epoch = now;
        if (known != null && !known.equals(now)) {
            LOG.warn("Larder: Redis at {} lost its data (flushed, restarted without"
                    + " persistence, or evicted); dropping cached generations and near copies",
                    redis.where());
            loseTrack();
        }
    }

    /** Warns once if Redis may evict keys without a TTL (tag counters, markers, the epoch). */
    private void checkEvictionPolicy() {
        if (policyChecked) {
            return;
        }
        policyChecked = true;
        RedisConnection redis = store.redis();
        try {
            Map<String, String> policy = redis.call(c -> c.configGet("maxmemory-policy"));
            String value = policy.getOrDefault("maxmemory-policy", "");
            if (value.startsWith("allkeys-")) {
                LOG.warn("Larder: Redis at {} has maxmemory-policy {}: it may evict tag counters"
                        + " and markers. Entries under an evicted counter become misses (never"
                        + " stale), but many at once; prefer volatile-lru, volatile-lfu,"
                        + " volatile-ttl, volatile-random or noeviction", redis.where(), value);
            }
        } catch (RuntimeException e) {
            LOG.debug("Larder: cannot read maxmemory-policy (CONFIG not allowed?): {}",
                    e.toString());
        }
    }
}
