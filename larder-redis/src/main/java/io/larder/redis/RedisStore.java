package io.larder.redis;

import io.larder.Key;
import io.larder.spi.ErrorLog;
import io.larder.spi.BadEntryException;
import io.larder.spi.EntryFormat;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Entries in Redis, shared by every node that uses the same server and prefix. An entry is the
 * {@link EntryFormat} bytes (HMAC bound to the key) under {@code <prefix><region>:<digest>},
 * expiring with Redis TTL when it can no longer be served; tag generations are counters under
 * {@code <prefix>@tag:<tag>}, cached on each node and kept current by a change channel on which
 * every write, removal and invalidation is announced. A sick Redis never blocks a caller for
 * longer than the command timeout, and not at all once the circuit breaker is open.
 *
 * <pre>{@code
 * RedisStore redis = RedisStore.builder("redis://127.0.0.1:6379").prefix("blog:").build();
 * Larder larder = Larder.builder()
 *         .store(TieredStore.of(MemoryStore.builder().maximumSize(10_000).build(), redis))
 *         .hmacSecret(secret).build();
 * }</pre>
 */
public final class RedisStore implements Store {
    /** Entries usable for longer than this are stored without a TTL. */
    private static final long FOREVER_MILLIS = Duration.ofDays(365 * 100L).toMillis();
    private static final int SCAN_BATCH = 1000;
    private static final int MAX_PENDING = 10_000;

    private static final LuaScript PUT = new LuaScript(
            "if ARGV[2] == '0' then redis.call('SET', KEYS[1], ARGV[1])"
            + " else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end"
            + " redis.call('PUBLISH', ARGV[3], ARGV[4]) return 1");
    private static final LuaScript REMOVE = new LuaScript(
            "redis.call('UNLINK', KEYS[1]) redis.call('PUBLISH', ARGV[1], ARGV[2]) return 1");
    private static final LuaScript INVALIDATE = new LuaScript(
            "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('INCR', k) end"
            + " redis.call('PUBLISH', ARGV[1], ARGV[2]) return r");
    private static final LuaScript RELEASE = new LuaScript(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1])"
            + " else return 0 end");
    private static final LuaScript RENEW = new LuaScript(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end");

    private final Builder settings;
    private final String prefix;
    private final String channel;
    private final String node;
    private final SecureRandom random = new SecureRandom();
    private final GenerationCache generations = new GenerationCache(100_000);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> pendingTags = ConcurrentHashMap.newKeySet();
    private final Set<Key> pendingRemovals = ConcurrentHashMap.newKeySet();
    private final LongAdder badEntries = new LongAdder();
    private final ErrorLog errors = new ErrorLog(LoggerFactory.getLogger(RedisStore.class), 60);
    private final LongAdder messages = new LongAdder();
    private final LongAdder lostTrack = new LongAdder();
    private volatile boolean subscribed;
    private volatile EntryFormat format;
    private volatile InstantSource clock;
    private volatile RedisConnection redis;

    private RedisStore(Builder settings) {
        this.settings = settings;
        this.prefix = settings.prefix;
        this.channel = prefix + "@changes";
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
    }

    /**
     * A builder for the server at {@code uri}: {@code redis://[user:password@]host:port[/db]}, or
     * {@code rediss://...} for TLS.
     */
    public static Builder builder(String uri) {
        return new Builder(RedisURI.create(Objects.requireNonNull(uri, "uri")));
    }

    /** A builder for a configured Lettuce {@link RedisURI} (ACL, TLS, database, client name). */
    public static Builder builder(RedisURI uri) {
        return new Builder(RedisURI.builder(Objects.requireNonNull(uri, "uri")).build());
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
        this.format = new EntryFormat(secret);
        this.clock = context.clock();
        if (redis != null) {
            return;
        }
        this.redis = new RedisConnection(settings, channel, new Changes(), this::replayPending);
    }

    @Override
    public StoredEntry get(Key key) {
        byte[] bytes = redis().call(c -> c.get(entryKey(key)));
        return bytes == null ? null : decode(key, bytes);
    }

    @Override
    public Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        List<Key> list = List.copyOf(keys);
        Map<Key, StoredEntry> found = new LinkedHashMap<>();
        if (list.isEmpty()) {
            return found;
        }
        byte[][] names = new byte[list.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = entryKey(list.get(i));
        }
        List<KeyValue<byte[], byte[]>> values = redis().call(c -> c.mget(names));
        for (int i = 0; i < values.size(); i++) {
            KeyValue<byte[], byte[]> value = values.get(i);
            if (value.hasValue()) {
                StoredEntry entry = decode(list.get(i), value.getValue());
                if (entry != null) {
                    found.put(list.get(i), entry);
                }
            }
        }
        return found;
    }

    private StoredEntry decode(Key key, byte[] bytes) {
        try {
            return format.read(key.digest(), bytes);
        } catch (BadEntryException e) {
            // Damaged, foreign or forged: a miss, and gone (the next writer replaces it anyway).
            // Many in a row usually mean nodes configured with different HMAC secrets.
            badEntries.increment();
            errors.report("read " + key.region() + " from Redis (entry rejected)", e);
            try {
                redis().call(c -> c.unlink(entryKey(key)));
            } catch (RuntimeException ignored) {
                // best effort
            }
            return null;
        }
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        long ttl = entry.usableUntil() - clock.millis();
        if (ttl <= 0) {
            remove(key);
            return;
        }
        byte[] bytes = format.write(key.digest(), entry);
        byte[] px = ascii(ttl >= FOREVER_MILLIS ? "0" : Long.toString(ttl));
        redis().call(c -> PUT.run(c, ScriptOutputType.INTEGER, new byte[][] {entryKey(key)},
                bytes, px, ascii(channel), utf8(message('k', key.encode()))));
    }

    @Override
    public void remove(Key key) {
        try {
            redis().call(c -> REMOVE.run(c, ScriptOutputType.INTEGER,
                    new byte[][] {entryKey(key)}, ascii(channel),
                    utf8(message('k', key.encode()))));
        } catch (RuntimeException e) {
            // Other nodes' near copies outlive this removal: replay it when Redis is back.
            remember(pendingRemovals, key);
            throw e;
        }
    }

    /**
     * Deletes the region's entries with SCAN and UNLINK, in batches, on the calling thread (its
     * cost grows with the whole database, not the region), then tells the other nodes.
     */
    @Override
    public void removeRegion(String region) {
        removeMatching(glob(prefix) + region + ":*");
        redis().call(c -> c.publish(ascii(channel), utf8(message('r', region))));
    }

    /** Removes every entry under this store's prefix; tag generations and leases are kept. */
    @Override
    public void clear() {
        removeMatching(glob(prefix) + "[^@]*");
        redis().call(c -> c.publish(ascii(channel), utf8(message('c', ""))));
    }

    private void removeMatching(String pattern) {
        RedisConnection redis = redis();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches(utf8(pattern)).limit(SCAN_BATCH);
        do {
            ScanCursor from = cursor;
            KeyScanCursor<byte[]> batch = redis.call(c -> c.scan(from, args));
            if (!batch.getKeys().isEmpty()) {
                byte[][] found = batch.getKeys().toArray(new byte[0][]);
                redis.call(c -> c.unlink(found));
            }
            cursor = batch;
        } while (!cursor.isFinished());
    }

    @Override
    public long[] generations(List<String> tags) {
        long[] result = new long[tags.size()];
        List<Integer> missing = null;
        for (int i = 0; i < result.length; i++) {
            Long known = generations.get(tags.get(i));
            if (known != null) {
                result[i] = known;
            } else {
                if (missing == null) {
                    missing = new ArrayList<>(result.length - i);
                }
                missing.add(i);
            }
        }
        if (missing == null) {
            return result;
        }
        long epoch = generations.epoch();
        byte[][] names = new byte[missing.size()][];
        for (int j = 0; j < names.length; j++) {
            names[j] = tagKey(tags.get(missing.get(j)));
        }
        List<KeyValue<byte[], byte[]>> values = redis().call(c -> c.mget(names));
        for (int j = 0; j < names.length; j++) {
            KeyValue<byte[], byte[]> value = values.get(j);
            long generation = value.hasValue()
                    ? Long.parseLong(new String(value.getValue(), StandardCharsets.US_ASCII)) : 0;
            int i = missing.get(j);
            result[i] = generation;
            generations.learned(tags.get(i), generation, epoch);
        }
        return result;
    }

    /** Increments the tags' counters and announces them, atomically, in one round trip. */
    @Override
    public void invalidateTags(Collection<String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        List<String> list = List.copyOf(tags);
        try {
            incrementAndAnnounce(list);
        } catch (RuntimeException e) {
            // Until Redis has it, this node cannot trust cached generations or near copies.
            list.forEach(tag -> remember(pendingTags, tag));
            loseTrack();
            throw e;
        }
    }

    private void incrementAndAnnounce(List<String> tags) {
        byte[][] names = new byte[tags.size()][];
        StringBuilder announcement = new StringBuilder(message('t', ""));
        for (int i = 0; i < names.length; i++) {
            names[i] = tagKey(tags.get(i));
            announcement.append('\n').append(tags.get(i));
        }
        byte[] text = utf8(announcement.toString());
        redis().call(c -> INVALIDATE.run(c, ScriptOutputType.MULTI, names, ascii(channel), text));
        tags.forEach(generations::forget);
    }

    /** A lock with a lease in Redis ({@code SET NX PX}); released only by its holder. */
    @Override
    public Lease lease(Key key, Duration lease) {
        byte[] name = utf8(prefix + "@lock:" + key.region() + ":" + key.digest());
        byte[] token = new byte[16];
        random.nextBytes(token);
        SetArgs nx = SetArgs.Builder.nx().px(lease.toMillis());
        String reply = redis().call(c -> c.set(name, token, nx));
        return new RedisLease("OK".equals(reply), name, token);
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
                r.breaker().isOpen(), r.breaker().opens(), subscribed, badEntries.sum(),
                messages.sum(), lostTrack.sum());
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
     * @param listening whether the change channel is subscribed (other nodes' changes are heard)
     * @param badEntries entries rejected as damaged, foreign or forged
     * @param messages change messages received from other nodes
     * @param lostTrack times the near caches were told to drop everything
     */
    public record Stats(long calls, long failures, long shortCircuited, boolean breakerOpen,
            long breakerOpens, boolean listening, long badEntries, long messages,
            long lostTrack) { }

    // ---- internals

    private RedisConnection redis() {
        RedisConnection r = redis;
        if (r == null) {
            throw new IllegalStateException("RedisStore used before bind");
        }
        return r;
    }

    private byte[] entryKey(Key key) {
        return utf8(prefix + key.region() + ":" + key.digest());
    }

    private byte[] tagKey(String tag) {
        return utf8(prefix + "@tag:" + tag);
    }

    private String message(char kind, String body) {
        return node + " " + kind + " " + body;
    }

    private <T> void remember(Set<T> pending, T item) {
        if (pending.size() < MAX_PENDING) {
            pending.add(item);
        }
    }

    private void loseTrack() {
        generations.forgetAll(false);
        lostTrack.increment();
        for (Listener listener : listeners) {
            listener.lostTrack();
        }
    }

    /** Applies invalidations that failed while Redis was away; run by the probe when it answers. */
    private void replayPending() {
        if (!pendingTags.isEmpty()) {
            List<String> tags = new ArrayList<>(pendingTags);
            incrementAndAnnounce(tags);
            pendingTags.removeAll(tags);
        }
        for (Key key : new ArrayList<>(pendingRemovals)) {
            remove(key);
            pendingRemovals.remove(key);
            listeners.forEach(listener -> listener.changed(key));
        }
        if (subscribed && !generations.live() && pendingTags.isEmpty()) {
            generations.forgetAll(true);
        }
    }

    private static String glob(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the change channel: drops near copies and cached generations that moved elsewhere. */
    private final class Changes implements RedisConnection.Subscriber {
        @Override
        public void message(String message) {
            int space = message.indexOf(' ');
            if (space <= 0 || message.length() < space + 3) {
                return;
            }
            boolean mine = message.regionMatches(0, node, 0, space) && space == node.length();
            char kind = message.charAt(space + 1);
            String body = message.substring(space + 3);
            if (!mine) {
                messages.increment();
            }
            try {
                switch (kind) {
                    case 't' -> forEachLine(body, generations::forget);
                    case 'k' -> {
                        if (!mine) {
                            Key key = Key.parse(body);
                            listeners.forEach(listener -> listener.changed(key));
                        }
                    }
                    case 'r' -> {
                        if (!mine) {
                            listeners.forEach(listener -> listener.regionRemoved(body));
                        }
                    }
                    case 'c' -> {
                        if (!mine) {
                            listeners.forEach(Listener::lostTrack);
                        }
                    }
                    default -> { }
                }
            } catch (RuntimeException e) {
                // A malformed message (from a foreign writer): it says nothing we can use.
            }
        }

        @Override
        public void subscribed() {
            subscribed = true;
            generations.forgetAll(pendingTags.isEmpty());
            notifyLost();
        }

        @Override
        public void unsubscribed() {
            subscribed = false;
            generations.forgetAll(false);
            notifyLost();
        }

        private void notifyLost() {
            lostTrack.increment();
            for (Listener listener : listeners) {
                listener.lostTrack();
            }
        }

        private static void forEachLine(String body, Consumer<String> action) {
            for (String line : body.split("\n")) {
                if (!line.isEmpty()) {
                    action.accept(line);
                }
            }
        }
    }

    /** A grant from {@link #lease}; closing it deletes the lock only if this holder owns it. */
    private final class RedisLease implements Lease {
        private final boolean granted;
        private final byte[] name;
        private final byte[] token;

        RedisLease(boolean granted, byte[] name, byte[] token) {
            this.granted = granted;
            this.name = name;
            this.token = token;
        }

        @Override
        public boolean granted() {
            return granted;
        }

        @Override
        public boolean renew(Duration lease) {
            if (!granted) {
                return false;
            }
            Long renewed = redis().call(c -> RENEW.run(c, ScriptOutputType.INTEGER,
                    new byte[][] {name}, token, ascii(Long.toString(lease.toMillis()))));
            return renewed != null && renewed == 1L;
        }

        @Override
        public void close() {
            if (!granted) {
                return;
            }
            try {
                redis().call(c -> RELEASE.run(c, ScriptOutputType.INTEGER,
                        new byte[][] {name}, token));
            } catch (RuntimeException e) {
                // The lease runs out by itself.
            }
        }
    }

    /** Builds a {@link RedisStore}; bad values fail here, naming the value. */
    public static final class Builder {
        RedisURI uri;
        String prefix = "larder:";
        Duration commandTimeout = Duration.ofMillis(100);
        Duration connectTimeout = Duration.ofSeconds(1);
        Duration retryInterval = Duration.ofMillis(500);
        int breakerFailures = 3;
        int requestQueueSize = 10_000;
        byte[] secret;

        private Builder(RedisURI uri) {
            this.uri = uri;
        }

        /** What every Redis key of this store starts with; default {@code "larder:"}. */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.chars().anyMatch(ch -> ch <= ' ')) {
                throw new IllegalArgumentException("prefix must not contain spaces or control"
                        + " characters, was '" + prefix + "'");
            }
            this.prefix = prefix;
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

        /** The Redis ACL user and password (overrides any in the URI). */
        public Builder credentials(String user, char[] password) {
            this.uri = RedisURI.builder(uri).withAuthentication(
                    Objects.requireNonNull(user, "user"),
                    Objects.requireNonNull(password, "password"))
                    .build();
            return this;
        }

        /** Connects with TLS, verifying the server's certificate and host if {@code verifyPeer}. */
        public Builder tls(boolean verifyPeer) {
            this.uri = RedisURI.builder(uri).withSsl(true).withVerifyPeer(verifyPeer).build();
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
