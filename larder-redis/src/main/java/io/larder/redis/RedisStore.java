package io.larder.redis;

import io.larder.Key;
import io.larder.spi.EntryFormat;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.lettuce.core.RedisURI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entries in Redis (one server, a Sentinel-watched primary, or a Redis Cluster), shared by every
 * node that uses the same Redis and prefix. Entries are {@link RedisEntries}; tag generations are
 * counters ({@link TagCounters}), cached on each node and kept current by a change channel on
 * which every write, removal and invalidation is announced. A counter starts at a random value
 * and grows by random steps, so that one lost to a flush, a restart without persistence, an
 * eviction or a failover never comes back to a value it had. After an outage (the breaker
 * opened, the channel dropped, an invalidation had to be queued, or Redis lost its data) the
 * store serves nothing until it has replayed what it queued and its listeners have caught up
 * ({@link Store.Listener#reconnected()}); cached generations, and so near copies, are trusted only
 * while the channel answered a ping within the last {@link Builder#nearCacheBound}. A sick Redis
 * never blocks a caller for longer than the command timeout, and not at all once the circuit
 * breaker is open.
 *
 * <pre>{@code
 * RedisStore redis = RedisStore.builder("redis://127.0.0.1:6379").prefix("blog:").build();
 * Larder larder = Larder.builder()
 *         .store(TieredStore.of(MemoryStore.builder().maximumSize(10_000).build(), redis))
 *         .hmacSecret(secret).build();
 * }</pre>
 */
public final class RedisStore implements Store {
    private final Builder settings;
    private final RedisKeys keys;
    private final SecureRandom random = new SecureRandom();
    private final GenerationCache generations = new GenerationCache(100_000);
    private final Outages outages;
    private final RedisTags tagging;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder badEntries = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private volatile RedisEntries entries;
    private volatile InstantSource clock;
    private volatile RedisConnection redis;

    private RedisStore(Builder settings) {
        this.settings = settings;
        this.keys = new RedisKeys(settings.prefix, random);
        TagCounters counters = new TagCounters(this::redis, keys, generations, random);
        this.outages = new Outages(this, keys, counters, generations, random);
        this.tagging = new RedisTags(this, counters, generations, outages,
                settings.nearCacheBound.toMillis());
    }

    /**
     * A builder for the Redis at {@code uri}: one server
     * ({@code redis://[user:password@]host:port[/db]}, {@code rediss://...} for TLS), the primary
     * that Sentinels name ({@code redis-sentinel://[password@]host:port[,host:port...][/db]#name}),
     * or a Redis Cluster ({@code redis-cluster://[user:password@]host:port[,host:port...]},
     * {@code rediss-cluster://...} for TLS, or a comma-separated list of {@code host:port} or
     * {@code redis://host:port}: the nodes to read the topology from).
     *
     * @throws IllegalArgumentException naming the value if it is none of these
     */
    public static Builder builder(String uri) {
        return new Builder(RedisEndpoint.parse(uri));
    }

    /**
     * A builder for a configured Lettuce {@link RedisURI} (ACL, TLS, database, client name), of
     * one server or of Sentinels.
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(new RedisEndpoint(false,
                List.of(RedisEndpoint.builder(Objects.requireNonNull(uri, "uri")).build())));
    }

    /**
     * Connects (or keeps trying in the background if Redis is down: the cache is bypassed
     * meanwhile) and subscribes to the change channel; a later bind only takes the new clock and
     * secret.
     *
     * @throws IllegalStateException if neither this store nor the {@code Larder} has an HMAC secret
     */
    @Override
    public synchronized void bind(StoreContext context) {
        byte[] secret = settings.secret != null ? settings.secret : context.secret().orElseThrow(
                () -> new IllegalStateException("RedisStore needs an HMAC secret: other processes"
                        + " can write to Redis; set Larder.builder().hmacSecret(...) or"
                        + " RedisStore.builder(...).hmacSecret(...)"));
        this.clock = context.clock();
        this.entries = new RedisEntries(this::redis, keys, new EntryFormat(secret), clock,
                badEntries);
        if (redis != null) {
            return;
        }
        this.redis = new RedisConnection(settings, keys,
                new Changes(outages, keys.node, generations, listeners, messages),
                outages::upkeep);
    }

    @Override
    public StoredEntry get(Key key) {
        return entries().get(key);
    }

    @Override
    public Map<Key, StoredEntry> getAll(Collection<Key> wanted) {
        return entries().getAll(wanted);
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        if (!entries().put(key, entry)) {
            remove(key);
        }
    }

    /**
     * Removes the entry and announces it; if Redis fails, the removal is queued and applied when
     * it answers (this node serves nothing from the cache until then), not thrown.
     */
    @Override
    public void remove(Key key) {
        try {
            entries().remove(key);
        } catch (RuntimeException e) {
            // Other nodes' near copies outlive this removal: replay it when Redis is back.
            outages.queueRemoval(key, e);
        }
    }

    /**
     * Deletes the region's entries with SCAN and UNLINK (on a cluster, on every primary), in
     * batches, on the calling thread (its cost grows with the whole database, not the region),
     * then tells the other nodes.
     */
    @Override
    public void removeRegion(String region) {
        entries().removeRegion(region);
    }

    /**
     * Removes every entry under this store's prefix, as {@link #removeRegion} does for one;
     * tag generations, leases and markers are kept. Other nodes drop their near copies.
     */
    @Override
    public void clear() {
        entries().clear();
    }

    /**
     * {@inheritDoc} Cached ones only while the change channel answered a ping within
     * {@link Builder#nearCacheBound}.
     *
     * @throws RedisUnavailableException while the store catches up after an outage
     */
    @Override
    public long[] generations(List<String> tags) {
        return tagging.generations(tags);
    }

    /**
     * Increments the tags' counters and announces them, atomically, in one round trip; if Redis
     * fails, the invalidation is queued and applied when it answers (this node serves nothing
     * from the cache until then), not thrown.
     */
    @Override
    public void invalidateTags(Collection<String> tags) {
        tagging.invalidate(tags);
    }

    /**
     * Deletes every tag counter of this prefix (each starts again at a new random value) with
     * SCAN and UNLINK on the calling thread, then tells every node to forget its cached
     * generations and near copies.
     */
    @Override
    public void invalidateAll() {
        tagging.invalidateAll();
    }

    /** Kept beside the tag counters (in their cluster slot), without a TTL. */
    @Override
    public OptionalLong marker(String name) {
        return tagging.marker(name);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RedisUnavailableException while invalidations are queued: a marker must not say
     *     more than Redis has
     */
    @Override
    public void marker(String name, long value) {
        tagging.marker(name, value);
    }

    /** A lock with a lease in Redis ({@code SET NX PX}); released only by its holder. */
    @Override
    public Lease lease(Key key, Duration lease) {
        return RedisLease.acquire(redis(), keys.lock(key), random, lease);
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Counters of this store since it was bound. */
    public Stats stats() {
        RedisConnection r = redis;
        if (r == null) {
            return new Stats(0, 0, 0, false, 0, false, 0, 0, 0);
        }
        return new Stats(r.calls.sum(), r.failures.sum(), r.shortCircuited.sum(),
                r.breaker().isOpen(), r.breaker().opens(),
                outages.subscribed() && outages.synced() && tagging.trusted(), badEntries.sum(),
                messages.sum(), outages.lostTrack.sum());
    }

    @Override
    public void close() {
        RedisConnection r = redis;
        if (r != null) {
            r.close();
        }
    }

    /**
     * What a {@link RedisStore} did since it was bound.
     *
     * @param calls commands sent to Redis
     * @param failures commands that failed (timeout, disconnection, error reply)
     * @param shortCircuited calls answered at once by the open breaker, without Redis
     * @param breakerOpen whether the breaker is open now
     * @param breakerOpens how many times the breaker opened
     * @param listening whether the change channel is subscribed and answered a ping within the
     *     near-cache bound (other nodes' changes are heard), and the store caught up since its
     *     last outage
     * @param badEntries entries rejected as damaged, foreign or forged
     * @param messages change messages received from other nodes
     * @param lostTrack times the near caches were told to drop everything
     */
    public record Stats(long calls, long failures, long shortCircuited, boolean breakerOpen,
            long breakerOpens, boolean listening, long badEntries, long messages,
            long lostTrack) { }

    // ---- for the classes beside it

    RedisConnection redis() {
        RedisConnection r = redis;
        if (r == null) {
            throw new IllegalStateException("RedisStore used before bind");
        }
        return r;
    }

    RedisEntries entries() {
        RedisEntries e = entries;
        if (e == null) {
            throw new IllegalStateException("RedisStore used before bind");
        }
        return e;
    }

    List<Listener> listeners() {
        return listeners;
    }

    long now() {
        return clock.millis();
    }

    /** Builds a {@link RedisStore}; bad values fail here, naming the value. */
    public static final class Builder {
        RedisEndpoint endpoint;
        String prefix = "larder:";
        Duration commandTimeout = Duration.ofMillis(100);
        Duration connectTimeout = Duration.ofSeconds(1);
        Duration retryInterval = Duration.ofMillis(500);
        int breakerFailures = 3;
        int requestQueueSize = 10_000;
        Duration nearCacheBound = Duration.ofSeconds(1);
        byte[] secret;

        private Builder(RedisEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * What every Redis key of this store starts with; default {@code "larder:"}. Not empty,
         * no spaces, control characters or braces (the store places keys in cluster slots with
         * {@code {<prefix>}} hash tags itself).
         */
        public Builder prefix(String prefix) {
            this.prefix = RedisKeys.checkPrefix(prefix);
            return this;
        }

        /** How long a command may take before it fails (and counts as a miss); default 100 ms. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive("commandTimeout", timeout);
            return this;
        }

        /** How long connecting may take; default 1 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Opens the circuit breaker after {@code failures} failed commands in a row (default 3),
         * or at the first command timeout; while open, no request calls Redis, and a background
         * probe tries it every {@code retryInterval} (default 500 ms).
         */
        public Builder breaker(int failures, Duration retryInterval) {
            if (failures < 1) {
                throw new IllegalArgumentException(
                        "breaker failures must be at least 1, was " + failures);
            }
            this.breakerFailures = failures;
            this.retryInterval = positive("retryInterval", retryInterval);
            return this;
        }

        /**
         * The longest this node serves cached tag generations, and so its near copies, without
         * hearing from Redis (default 1 s): the change channel is pinged every third of it, and
         * when no answer came for longer, generations are read from Redis again (a frozen Redis
         * then opens the breaker at the first timeout, and nothing is served from the cache).
         */
        public Builder nearCacheBound(Duration bound) {
            this.nearCacheBound = positive("nearCacheBound", bound);
            return this;
        }

        /** The Redis ACL user and password (overrides any in the URI; every cluster node's). */
        public Builder credentials(String user, char[] password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            this.endpoint = endpoint.map(uri -> uri.withAuthentication(user, password));
            return this;
        }

        /** Connects with TLS, verifying the server's certificate and host if {@code verifyPeer}. */
        public Builder tls(boolean verifyPeer) {
            this.endpoint = endpoint.map(uri -> uri.withSsl(true).withVerifyPeer(verifyPeer));
            return this;
        }

        /**
         * The secret that authenticates entries (at least 16 bytes); default the {@code Larder}'s
         * {@code hmacSecret}. Every node sharing the Redis needs the same one.
         */
        public Builder hmacSecret(byte[] secret) {
            if (secret == null || secret.length < 16) {
                throw new IllegalArgumentException("hmacSecret must have at least 16 bytes");
            }
            this.secret = secret.clone();
            return this;
        }

        /** The store; it connects when a {@code Larder} binds it. */
        public RedisStore build() {
            return new RedisStore(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
