package io.larder.jcache;

import io.larder.Key;
import io.larder.Larder;
import io.larder.LarderBuilder;
import io.larder.Loaded;
import io.larder.Loader;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.RegionStats;
import io.larder.Snapshot;
import io.larder.spi.Codec;
import io.larder.spi.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Every call from the JCache layer into Larder, for one cache: the cache is one Larder region,
 * each JCache entry one Larder entry holding a {@link Held}. Larder keeps the bytes, the codec,
 * the HMAC and the store; this class maps keys, turns the JCache expiry into a Larder TTL and
 * remembers which keys this JVM holds (Larder cannot list a region), so that iteration and
 * {@code removeAll()} can find them.
 */
final class LarderBridge {
    /**
     * How long Larder keeps an entry after its JCache expiry (as stale, which only this class
     * reads), so that the next access finds it expired and tells the expiry listeners.
     */
    private static final Duration EXPIRED_GRACE = Duration.ofMinutes(10);
    /**
     * The Larder TTL of an entry that never expires by the JCache policy: with the grace, the
     * entry is usable until {@code Long.MAX_VALUE}, forever, so a hit on it reads no clock.
     */
    private static final Duration ETERNAL =
            Duration.ofMillis(Long.MAX_VALUE - EXPIRED_GRACE.toMillis());
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Larder larder;
    private final String region;
    private final Options options;
    /** {@link #options} with the TTL of an eternal entry, made once: most entries are. */
    private final Options eternal;
    private final InstantSource clock;
    /**
     * The keys this JVM holds, by JCache key: a hit finds its Larder key here, built once, as a
     * {@link Key} or as the {@link Snapshot} last read of it, which Larder serves again while the
     * store vouches for its entry (one object less to reach on a hit than a slot holding both).
     */
    private final ConcurrentHashMap<Object, Object> index = new ConcurrentHashMap<>();
    private final long maximumSize;
    private final LongAdder evicted = new LongAdder();
    private volatile int pruneAt = 1024;
    private volatile long evictionBase;

    LarderBridge(Larder larder, String cacheName, Set<String> tags, long maximumSize,
            InstantSource clock) {
        this.larder = larder;
        this.maximumSize = maximumSize;
        this.region = regionOf(cacheName);
        this.options = Options.tags(tags.toArray(new String[0])).staleFor(EXPIRED_GRACE);
        this.eternal = options.ttl(ETERNAL);
        this.clock = clock;
    }

    /** A Larder for one cache manager, on {@code store}. */
    static Larder open(Store store, InstantSource clock, Codec codec, byte[] secret) {
        LarderBuilder builder = Larder.builder().store(store).clock(clock).codec(codec);
        if (secret != null) {
            builder.hmacSecret(secret);
        }
        return builder.build();
    }

    /**
     * The region of a cache: its name where Larder accepts it as one, otherwise a readable part
     * of it and a hash of the whole, so that different names never share a region.
     */
    static String regionOf(String cacheName) {
        if (REGION.matcher(cacheName).matches()) {
            return cacheName;
        }
        String readable = cacheName.replaceAll("[^A-Za-z0-9._-]", "_");
        readable = readable.substring(0, Math.min(40, readable.length()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(cacheName.getBytes(StandardCharsets.UTF_8));
            return "jc" + readable + "-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The Larder this cache lives in. */
    Larder larder() {
        return larder;
    }

    /** The current time of the cache's clock, epoch ms. */
    long now() {
        return clock.millis();
    }

    /** The Larder key of a JCache key. */
    Key key(Object key) {
        Object known = index.get(key);
        return known != null ? keyOf(known) : Key.of(region, KeyForm.of(key));
    }

    /** The Larder key of an {@link #index} value. */
    private static Key keyOf(Object known) {
        return known instanceof Snapshot<?> snapshot ? snapshot.key() : (Key) known;
    }

    /**
     * The entry of {@code jcacheKey}, or {@code null}; expiry is the caller's to check. The hit
     * path: a key this JVM holds is answered from the snapshot kept in the index, which Larder
     * checks rather than looking the key up again; a new snapshot replaces it.
     */
    @SuppressWarnings("unchecked")
    Held read(Object jcacheKey) {
        Object known = index.get(jcacheKey);
        Snapshot<Held> last = known instanceof Snapshot<?> s ? (Snapshot<Held>) s : null;
        Key key = last != null ? last.key()
                : known != null ? (Key) known : Key.of(region, KeyForm.of(jcacheKey));
        Snapshot<Held> found = larder.peek(key, Held.class, last);
        if (found != last && known != null) {
            index.replace(jcacheKey, known, found != null ? found : key);
        }
        return found == null ? null : found.value();
    }

    /** The entry of {@code key}, or {@code null}; expiry is the caller's to check. */
    Held read(Key key) {
        Lookup<Held> found = larder.peek(key, Held.class).orElse(null);
        return found == null ? null : found.value();
    }

    /** Stores {@code held}; Larder drops it by itself once it has expired. */
    void write(Key key, Held held) {
        larder.put(key, held, options(held.expireAt()));
        remember(held.key(), key);
    }

    /**
     * Loads the entry of {@code key} on Larder's load path (one load per key across the
     * processes that share the store): {@code loader} makes the entry, {@code null} for none;
     * an entry that expires at once is returned but not stored.
     *
     * @return the entry and whether this caller loaded it or joined another's load, or
     *     {@code null} if the loader had nothing
     */
    Lookup<Held> load(Key key, long expireAt, Loader<Held> loader) {
        Lookup<Held> found = larder.lookup(key, Held.class, options(expireAt), () -> {
            Held held = loader.load();
            return held != null && !held.expiredAt(clock.millis()) ? Loaded.of(held)
                    : Loaded.uncached(held);
        });
        if (found.value() != null) {
            remember(found.value().key(), key);
        }
        return found.value() == null ? null : found;
    }

    /** The options of an entry that expires at {@code expireAt}. */
    private Options options(long expireAt) {
        return expireAt == Long.MAX_VALUE ? eternal
                : options.ttl(Duration.ofMillis(Math.max(1, expireAt - clock.millis())));
    }

    /** Removes the entry of {@code key} ({@code jcacheKey}'s). */
    void remove(Object jcacheKey, Key key) {
        larder.invalidate(key);
        forget(jcacheKey, key);
    }

    /** Removes every entry of the cache, in every process that shares the store. */
    void clear() {
        larder.invalidateRegion(region);
        index.clear();
    }

    /** The JCache keys of the entries this JVM wrote or read and has not seen go. */
    List<Object> keys() {
        return new ArrayList<>(index.keySet());
    }

    /** Forgets a key whose entry is gone (evicted, invalidated, expired). */
    void forget(Object jcacheKey, Key key) {
        index.computeIfPresent(jcacheKey, (k, known) -> keyOf(known).equals(key) ? null : known);
    }

    /** Remembers a key whose entry was written or found. */
    private void remember(Object jcacheKey, Key key) {
        if (index.get(jcacheKey) != null || index.putIfAbsent(jcacheKey, key) != null) {
            return;
        }
        if (index.size() >= pruneAt) {
            prune();
        }
        if (maximumSize > 0 && index.size() > maximumSize) {
            evictOtherThan(jcacheKey);
        }
    }

    /** Drops entries other than {@code kept} (the first ones in the index) to the cache's bound. */
    private void evictOtherThan(Object kept) {
        for (Map.Entry<Object, Object> victim : index.entrySet()) {
            if (index.size() <= maximumSize) {
                return;
            }
            if (!victim.getKey().equals(kept) && index.remove(victim.getKey(), victim.getValue())) {
                larder.invalidate(keyOf(victim.getValue()));
                evicted.increment();
            }
        }
    }

    /** Entries the store evicted from this cache to stay within its bounds, since the reset. */
    long evictions() {
        RegionStats stats = larder.stats().get(region);
        long store = stats == null ? 0 : stats.evictions();
        return Math.max(0, store + evicted.sum() - evictionBase);
    }

    /** Restarts the count of {@link #evictions()}. */
    void resetEvictions() {
        RegionStats stats = larder.stats().get(region);
        evictionBase = (stats == null ? 0 : stats.evictions()) + evicted.sum();
    }

    /** Drops keys whose entries are gone, so that the index stays as large as the cache. */
    private synchronized void prune() {
        if (index.size() < pruneAt) {
            return;
        }
        index.values().removeIf(known -> read(keyOf(known)) == null);
        pruneAt = Math.max(1024, 2 * index.size());
    }
}
