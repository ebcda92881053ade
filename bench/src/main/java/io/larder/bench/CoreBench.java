package io.larder.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The memory store against raw Caffeine on the same key set (throughput, 2 threads), and the cost
 * of one hit through the whole API: key hashing, store read, tag-generation and freshness checks,
 * stats and trace hooks.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CoreBench -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 * Figures to compare: {@code storeHit ÷ caffeineHit} (aim ≥ 0.8), {@code apiHit} and
 * {@code apiMiss} (load, store, invalidate) in ns/op.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoreBench {
    private static final int KEYS = 1 << 12;

    @Param({"4096"})
    int keys;

    private Key[] keyArray;
    private Key[] missKeys;
    private Key[] taggedKeys;
    private Cache<Key, StoredEntry> caffeine;
    private MemoryStore store;
    private Larder larder;

    @Setup
    public void setUp() {
        keyArray = new Key[KEYS];
        missKeys = new Key[KEYS];
        taggedKeys = new Key[KEYS];
        Options twentyTags = Options.tags(IntStream.range(0, 20).mapToObj(t -> "post:" + t)
                .toArray(String[]::new));
        caffeine = Caffeine.newBuilder().maximumSize(100_000).build();
        store = MemoryStore.builder().maximumSize(100_000).build();
        larder = Larder.builder().store(MemoryStore.builder().maximumSize(100_000).build())
                .ttl(Duration.ofHours(1)).build();
        long now = System.currentTimeMillis();
        for (int i = 0; i < KEYS; i++) {
            keyArray[i] = Key.of("home-posts", "en", i);
            missKeys[i] = Key.of("missed", "en", i);
            StoredEntry entry = new StoredEntry(
                    Payload.ofValue("v" + i, String.class, JsonCodec.standard()),
                    now, now + 3_600_000, now + 3_600_000, 0, List.of(), new long[0]);
            caffeine.put(keyArray[i], entry);
            store.put(keyArray[i], entry);
            int n = i;
            larder.get(keyArray[i], String.class, Options.NONE, () -> "v" + n);
            taggedKeys[i] = Key.of("page", "en", i);
            larder.get(taggedKeys[i], String.class, twentyTags, () -> "v" + n);
        }
        // Some tag has moved, as on a live site: the store's generation table is not empty.
        larder.invalidateTag("post:none");
    }

    /** Each thread walks the key set from its own offset. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup
        public void setUp(ThreadParams params) {
            next = params.getThreadIndex() * 977;
        }

        int advance() {
            return next = (next + 1) & (KEYS - 1);
        }
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public StoredEntry caffeineHit(Cursor cursor) {
        return caffeine.getIfPresent(keyArray[cursor.advance()]);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public StoredEntry storeHit(Cursor cursor) {
        return store.get(keyArray[cursor.advance()]);
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String apiHit(Cursor cursor) {
        int i = cursor.advance();
        return larder.get(Key.of("home-posts", "en", i), String.class, Options.NONE, () -> "never");
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String apiHitPrebuiltKey(Cursor cursor) {
        return larder.get(keyArray[cursor.advance()], String.class, Options.NONE, () -> "never");
    }

    /**
     * A hit on an entry written under 20 tags, as a page built from 20 posts is: against
     * {@link #apiHitPrebuiltKey}, what checking its tags' generations adds to a hit.
     */
    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String apiHitTwentyTags(Cursor cursor) {
        return larder.get(taggedKeys[cursor.advance()], String.class, Options.NONE,
                () -> "never");
    }

    /** A miss that loads and stores, then the invalidation that makes the next call miss again. */
    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String apiMiss(Cursor cursor) {
        Key key = missKeys[cursor.advance()];
        String value = larder.get(key, String.class, Options.NONE, () -> "loaded");
        larder.invalidate(key);
        return value;
    }
}
