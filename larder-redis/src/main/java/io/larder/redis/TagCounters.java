package io.larder.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Tag generations in Redis: counters (see {@link RedisKeys#tag}) that start at a random value
 * below 2^62 when first read or incremented and grow by a random step below 2^31, so that a
 * counter lost to a flush, a restart without persistence or an eviction, or set back by a
 * failover that lost its last increments, never comes back to a value it had; cached on this
 * node in a {@link GenerationCache} that the change channel keeps current.
 */
final class TagCounters {
    private final Supplier<RedisConnection> redis;
    private final RedisKeys keys;
    private final GenerationCache cache;
    private final SecureRandom random;

    TagCounters(Supplier<RedisConnection> redis, RedisKeys keys, GenerationCache cache,
            SecureRandom random) {
        this.redis = redis;
        this.keys = keys;
        this.cache = cache;
        this.random = random;
    }

    /** The generation of each tag; cached ones only if {@code trusted}. */
    long[] read(List<String> tags, boolean trusted) {
        long[] result = new long[tags.size()];
        List<Integer> missing = null;
        for (int i = 0; i < result.length; i++) {
            Long known = trusted ? cache.get(tags.get(i)) : null;
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
        long epoch = cache.epoch();
        byte[][] names = new byte[missing.size()][];
        for (int j = 0; j < names.length; j++) {
            names[j] = keys.tag(tags.get(missing.get(j)));
        }
        List<KeyValue<byte[], byte[]>> values = redis.get().call(c -> c.mget(names));
        List<Integer> absent = new ArrayList<>();
        for (int j = 0; j < names.length; j++) {
            KeyValue<byte[], byte[]> value = values.get(j);
            if (!value.hasValue()) {
                absent.add(missing.get(j));
                continue;
            }
            int i = missing.get(j);
            result[i] = RedisKeys.parse(value.getValue());
            cache.learned(tags.get(i), result[i], epoch);
        }
        if (!absent.isEmpty()) {
            start(tags, absent, result, epoch);
        }
        return result;
    }

    /** Creates the absent counters at random values (or reads the ones another node made). */
    private void start(List<String> tags, List<Integer> absent, long[] result, long epoch) {
        byte[][] names = new byte[absent.size()][];
        byte[][] starts = new byte[absent.size()][];
        for (int a = 0; a < names.length; a++) {
            names[a] = keys.tag(tags.get(absent.get(a)));
            starts[a] = randomStart();
        }
        List<Object> values = redis.get().call(c -> LuaScript.START.run(c,
                ScriptOutputType.MULTI, names, starts));
        for (int a = 0; a < names.length; a++) {
            int i = absent.get(a);
            result[i] = RedisKeys.parse((byte[]) values.get(a));
            cache.learned(tags.get(i), result[i], epoch);
        }
    }

    /** Increments the tags' counters and announces them, atomically, in one round trip. */
    void increment(List<String> tags) {
        byte[][] names = new byte[tags.size()][];
        StringBuilder announcement = new StringBuilder(keys.message('t', ""));
        byte[][] args = new byte[2 + 2 * names.length][];
        for (int i = 0; i < names.length; i++) {
            names[i] = keys.tag(tags.get(i));
            announcement.append('\n').append(tags.get(i));
            args[2 + i] = randomStart();
            args[2 + names.length + i] = RedisKeys.ascii(Long.toString(
                    1 + random.nextInt(Integer.MAX_VALUE)));
        }
        args[0] = keys.channel();
        args[1] = RedisKeys.utf8(announcement.toString());
        redis.get().call(c -> LuaScript.INVALIDATE.run(c, ScriptOutputType.MULTI, names, args));
        tags.forEach(cache::forget);
    }

    /**
     * Deletes every counter of the prefix (each starts again at a new random value) with SCAN
     * and UNLINK on the calling thread, then announces it: every node forgets its generations.
     */
    void deleteAll() {
        RedisConnection connection = redis.get();
        connection.unlinkMatching(keys.allTags());
        connection.call(c -> c.publish(keys.channel(), RedisKeys.utf8(keys.message('a', ""))));
    }

    /** A marker (kept in the counters' slot, without a TTL); empty if absent or foreign. */
    OptionalLong marker(String name) {
        byte[] key = keys.marker(name);
        byte[] value = redis.get().call(c -> c.get(key));
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(RedisKeys.parse(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // written by someone else: as if never written
        }
    }

    void marker(String name, long value) {
        byte[] key = keys.marker(name);
        redis.get().call(c -> c.set(key, RedisKeys.ascii(Long.toString(value))));
    }

    /** A counter's first value: random, below 2^62, so that increments never overflow. */
    private byte[] randomStart() {
        return RedisKeys.ascii(Long.toString(random.nextLong() >>> 2));
    }
}
