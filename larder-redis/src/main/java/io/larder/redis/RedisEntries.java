package io.larder.redis;

import io.larder.Key;
import io.larder.spi.BadEntryException;
import io.larder.spi.EntryFormat;
import io.larder.spi.ErrorLog;
import io.larder.spi.StoredEntry;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The entries of a {@link RedisStore}: {@link EntryFormat} bytes (HMAC bound to the key) under
 * {@code <prefix><region>:<digest>}, expiring with Redis TTL when they can no longer be served;
 * each write and removal announced on the change channel by the script that makes it. An entry
 * that fails its checks is a miss, and deleted. Made again at each bind (the secret and clock).
 */
final class RedisEntries {
    /** Entries usable for longer than this are stored without a TTL. */
    private static final long FOREVER_MILLIS = Duration.ofDays(365 * 100L).toMillis();
    private static final ErrorLog ERRORS =
            new ErrorLog(LoggerFactory.getLogger(RedisStore.class), 60);

    private final Supplier<RedisConnection> redis;
    private final RedisKeys keys;
    private final EntryFormat format;
    private final InstantSource clock;
    private final LongAdder badEntries;

    RedisEntries(Supplier<RedisConnection> redis, RedisKeys keys, EntryFormat format,
            InstantSource clock, LongAdder badEntries) {
        this.redis = redis;
        this.keys = keys;
        this.format = format;
        this.clock = clock;
        this.badEntries = badEntries;
    }

    StoredEntry get(Key key) {
        byte[] bytes = redis.get().call(c -> c.get(keys.entry(key)));
        return bytes == null ? null : decode(key, bytes);
    }

    /** One {@code MGET} (on a cluster, one per slot, sent together by Lettuce). */
    Map<Key, StoredEntry> getAll(Collection<Key> wanted) {
        List<Key> list = List.copyOf(wanted);
        Map<Key, StoredEntry> found = new LinkedHashMap<>();
        if (list.isEmpty()) {
            return found;
        }
        byte[][] names = new byte[list.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = keys.entry(list.get(i));
        }
        List<KeyValue<byte[], byte[]>> values = redis.get().call(c -> c.mget(names));
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
            ERRORS.report("read " + key.region() + " from Redis (entry rejected)", e);
            try {
                redis.get().call(c -> c.unlink(keys.entry(key)));
            } catch (RuntimeException ignored) {
                // best effort
            }
            return null;
        }
    }

    /**
     * Writes the entry and announces it, in one script.
     *
     * @return false, without writing, if the entry can no longer be served
     */
    boolean put(Key key, StoredEntry entry) {
        long ttl = entry.usableUntil() - clock.millis();
        if (ttl <= 0) {
            return false;
        }
        byte[] bytes = format.write(key.digest(), entry);
        byte[] px = RedisKeys.ascii(ttl >= FOREVER_MILLIS ? "0" : Long.toString(ttl));
        redis.get().call(c -> LuaScript.PUT.run(c, ScriptOutputType.INTEGER,
                new byte[][] {keys.entry(key)}, bytes, px, keys.channel(),
                RedisKeys.utf8(keys.message('k', key.encode()))));
        return true;
    }

    /** Removes the entry and announces it, in one script; throws if Redis fails. */
    void remove(Key key) {
        redis.get().call(c -> LuaScript.REMOVE.run(c, ScriptOutputType.INTEGER,
                new byte[][] {keys.entry(key)}, keys.channel(),
                RedisKeys.utf8(keys.message('k', key.encode()))));
    }

    /**
     * Deletes the region's entries with SCAN and UNLINK (on a cluster, every primary's), in
     * batches, on the calling thread, then tells the other nodes.
     */
    void removeRegion(String region) {
        redis.get().unlinkMatching(keys.region(region));
        redis.get().call(c -> c.publish(keys.channel(),
                RedisKeys.utf8(keys.message('r', region))));
    }

    /** Removes every entry under the prefix, as {@link #removeRegion} does for one. */
    void clear() {
        redis.get().unlinkMatching(keys.entries());
        redis.get().call(c -> c.publish(keys.channel(), RedisKeys.utf8(keys.message('c', ""))));
    }
}
