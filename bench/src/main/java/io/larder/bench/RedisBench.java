package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Loader;
import io.larder.redis.RedisStore;
import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A hit on {@code RedisStore} against a raw Lettuce {@code GET} of the very same bytes, on a real
 * Redis ({@code -p uri=redis://host:port}, default the local one on 6379), plus the whole
 * {@code Larder.get} hit on Redis alone and on a memory near cache in front of it.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar RedisBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class RedisBench {
    private static final byte[] SECRET =
            "redis-bench-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** Where Redis runs. */
    @Param("redis://127.0.0.1:6379")
    public String uri;

    /** The size of the cached value (a rendered fragment). */
    @Param("2048")
    public int valueBytes;

    private RedisClient rawClient;
    private RedisCommands<byte[], byte[]> raw;
    private byte[] rawKey;
    private RedisStore redis;
    private Larder onRedis;
    private Larder nearCache;
    private Key key;
    private Loader<String> loader;

    @Setup(Level.Trial)
    public void setUp() {
        String prefix = "bench" + ThreadLocalRandom.current().nextInt(1_000_000) + ":";
        String value = "<li>" + "x".repeat(Math.max(0, valueBytes - 9)) + "</li>";
        key = Key.of("fragments", "home", 1);
        loader = () -> value;
        redis = RedisStore.builder(uri).prefix(prefix).commandTimeout(Duration.ofSeconds(1))
                .build();
        onRedis = Larder.builder().store(redis).hmacSecret(SECRET).ttl(Duration.ofHours(1)).build();
        onRedis.get(key, String.class, loader);
        nearCache = Larder.builder()
                .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(),
                        RedisStore.builder(uri).prefix(prefix).build()))
                .hmacSecret(SECRET).ttl(Duration.ofHours(1)).build();
        nearCache.get(key, String.class, loader);
        rawClient = RedisClient.create(uri);
        StatefulRedisConnection<byte[], byte[]> connection =
                rawClient.connect(ByteArrayCodec.INSTANCE);
        raw = connection.sync();
        rawKey = (prefix + "fragments:" + key.digest()).getBytes(StandardCharsets.UTF_8);
        if (raw.get(rawKey) == null) {
            throw new IllegalStateException("the entry is not where the raw GET looks");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        raw.unlink(rawKey);
        onRedis.close();
        nearCache.close();
        rawClient.shutdown();
    }

    /** The baseline: the entry's bytes with a plain Lettuce GET. */
    @Benchmark
    public byte[] rawLettuceGet() {
        return raw.get(rawKey);
    }

    /** The same bytes through RedisStore: GET, then checksum and HMAC before any decoding. */
    @Benchmark
    public StoredEntry redisStoreGet() {
        return redis.get(key);
    }

    /** A whole Larder hit on Redis alone: GET, HMAC, tag generations (cached), decode. */
    @Benchmark
    public String larderHitOnRedis() {
        return onRedis.get(key, String.class, loader);
    }

    /** A whole Larder hit on the memory near cache in front of Redis (no round trip). */
    @Benchmark
    public String larderHitNearCache() {
        return nearCache.get(key, String.class, loader);
    }
}
