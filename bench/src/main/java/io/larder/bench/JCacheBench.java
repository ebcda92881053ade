package io.larder.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.spi.CachingProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Three JCache providers side by side, each with its defaults (store-by-value, eternal):
 * larder-jcache on the memory store, Caffeine's and Ehcache 3's. A hit, a put, and a read-through
 * get that threads contend for (two threads ask for each new key at about the same time: the
 * loader should run once per key), on 1 and 2 threads, with a new key object per call.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar JCacheBench -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 * The contended benchmarks print the loads per key of each provider at the end of the trial.
 * {@code java -cp bench/target/benchmarks.jar io.larder.bench.JCacheBench} measures the
 * one-thread figures in CPU time instead, which a busy machine disturbs far less.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JCacheBench {
    private static final int KEYS = 1 << 12;
    private static final Map<String, String> PROVIDERS = Map.of(
            "larder", "io.larder.jcache.spi.LarderCachingProvider",
            "caffeine", "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider",
            "ehcache", "org.ehcache.jsr107.EhcacheCachingProvider");

    @Param({"larder", "caffeine", "ehcache"})
    String provider;

    private CacheManager manager;
    private Cache<String, String> hits;
    private Cache<String, String> writes;
    private Cache<String, String> loading;
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder loads = new LongAdder();
    private long loadedKeys;
    private int threads;

    @Setup
    public void setUp(ThreadParams params) {
        threads = params.getThreadCount();
        open();
    }

    private void open() {
        CachingProvider cachingProvider = Caching.getCachingProvider(PROVIDERS.get(provider));
        manager = cachingProvider.getCacheManager();
        hits = manager.createCache("hits", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class));
        writes = manager.createCache("writes", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class));
        loading = manager.createCache("loading", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class).setReadThrough(true)
                .setCacheLoaderFactory(FactoryBuilder.factoryOf(new CountingLoader(loads))));
        for (int i = 0; i < KEYS; i++) {
            hits.put("post:" + i, "value " + i);
        }
    }

    /** Starts each iteration of the contended benchmark on keys nobody loaded. */
    @Setup(Level.Iteration)
    public void emptyLoadingCache() {
        loading.clear();
        loadedKeys += sequence.get() / Math.max(1, threads);
        sequence.set(0);
    }

    @TearDown
    public void tearDown() {
        loadedKeys += sequence.get() / Math.max(1, threads);
        if (loadedKeys > 0 && loads.sum() > 0) {
            System.out.printf("%n%s: %d loads for %d keys asked by %d threads: %.3f loads per key%n",
                    provider, loads.sum(), loadedKeys, threads, (double) loads.sum() / loadedKeys);
        }
        manager.close();
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
    @Threads(1)
    public String getHit1(Cursor cursor) {
        return hits.get("post:" + cursor.advance());
    }

    @Benchmark
    @Threads(2)
    public String getHit2(Cursor cursor) {
        return hits.get("post:" + cursor.advance());
    }

    @Benchmark
    @Threads(1)
    public void put1(Cursor cursor) {
        writes.put("post:" + cursor.advance(), "value");
    }

    @Benchmark
    @Threads(2)
    public void put2(Cursor cursor) {
        writes.put("post:" + cursor.advance(), "value");
    }

    @Benchmark
    @Threads(1)
    public String readThrough1() {
        return loading.get("item:" + sequence.getAndIncrement());
    }

    /** Both threads ask for key n (sequence / 2) at about the same time. */
    @Benchmark
    @Threads(2)
    public String readThroughContended2() {
        return loading.get("item:" + sequence.getAndIncrement() / 2);
    }

    /**
     * The one-thread figures in this thread's CPU time: rounds of hits, puts and read-through
     * misses, the providers interleaved in each round; prints each round and the medians.
     */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean cpu =
                java.lang.management.ManagementFactory.getThreadMXBean();
        String[] names = {"larder", "caffeine", "ehcache"};
        JCacheBench[] benches = new JCacheBench[names.length];
        for (int p = 0; p < names.length; p++) {
            benches[p] = new JCacheBench();
            benches[p].provider = names[p];
            benches[p].threads = 1;
            benches[p].open();
        }
        int rounds = 7;
        double[][][] figures = new double[3][names.length][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < names.length; p++) {
                JCacheBench b = benches[p];
                b.loading.clear();
                Cursor cursor = new Cursor();
                int[] ops = {1_000_000, 300_000, 20_000};
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops[0]; i++) {
                    sink += b.getHit1(cursor).length();
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops[1]; i++) {
                    b.put1(cursor);
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops[2]; i++) {
                    sink += b.readThrough1().length();
                }
                long t3 = cpu.getCurrentThreadCpuTime();
                figures[0][p][round] = (double) (t1 - t0) / ops[0];
                figures[1][p][round] = (double) (t2 - t1) / ops[1];
                figures[2][p][round] = (double) (t3 - t2) / ops[2];
                System.out.printf(java.util.Locale.ROOT,
                        "round %d %-8s (CPU ns/op): get hit %.0f, put %.0f, read-through %.0f%n",
                        round + 1, names[p], figures[0][p][round], figures[1][p][round],
                        figures[2][p][round]);
            }
        }
        String[] what = {"get hit", "put", "read-through miss"};
        for (int w = 0; w < what.length; w++) {
            StringBuilder line = new StringBuilder("median " + what[w] + " (CPU ns/op):");
            for (int p = 0; p < names.length; p++) {
                double[] sorted = figures[w][p].clone();
                java.util.Arrays.sort(sorted);
                line.append(String.format(java.util.Locale.ROOT, " %s %.0f", names[p],
                        sorted[rounds / 2]));
            }
            System.out.println(line);
        }
        for (JCacheBench b : benches) {
            b.manager.close();
        }
        System.out.println(sink == 42 ? "" : "done");
    }

    /** A loader that costs a few microseconds of work and counts its calls. */
    public static final class CountingLoader implements CacheLoader<String, String>,
            java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final transient LongAdder loads;

        CountingLoader(LongAdder loads) {
            this.loads = loads;
        }

        @Override
        public String load(String key) {
            loads.increment();
            Blackhole.consumeCPU(2_000);
            return "loaded " + key;
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            Map<String, String> all = new HashMap<>();
            keys.forEach(key -> all.put(key, load(key)));
            return all;
        }
    }
}
