package io.larder.bench;

import io.larder.Larder;
import io.larder.spring.LarderCacheManager;
import io.larder.spring.LarderCachingConfiguration;
import io.larder.store.MemoryStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code @Cacheable} through Spring's proxy on two cache managers side by side: Larder's
 * ({@link LarderCacheManager}, memory store) and Spring's {@link CaffeineCacheManager}. A hit on
 * 1 and 2 threads, and a missed key that 8 threads ask for at about the same time with
 * {@code sync = true} (each manager should load it once: the loads per key are printed at the
 * end of the trial).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SpringCacheBench -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 * {@code java -cp bench/target/benchmarks.jar io.larder.bench.SpringCacheBench} measures the
 * one-thread hit in CPU time instead, the managers interleaved, which a busy machine disturbs far
 * less.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpringCacheBench {
    private static final int KEYS = 1 << 12;

    @Param({"larder", "caffeine"})
    String manager;

    private AnnotationConfigApplicationContext context;
    private Service service;
    private final AtomicLong sequence = new AtomicLong();
    private int threads;

    /** The cached service, as an application writes it. */
    public static class Service {
        private final LongAdder loads = new LongAdder();

        /** The loads so far (a method: the bean is a proxy, whose own fields are empty). */
        public long loads() {
            return loads.sum();
        }

        @Cacheable("posts")
        public String post(int id) {
            return "post " + id;
        }

        @Cacheable(cacheNames = "fresh", sync = true)
        public String fresh(long id) {
            loads.increment();
            return "fresh " + id;
        }
    }

    /** Larder's cache manager, as {@code larder-spring} documents it. */
    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    @Import(LarderCachingConfiguration.class)
    static class LarderConfig {
        /**
         * Unbounded in effect, as {@code CaffeineCacheManager}'s default is: the sync benchmark
         * asks for a new key per 8 calls, and a bounded cache would evict keys that were still
         * being asked for, which reads as extra loads.
         */
        @Bean(destroyMethod = "close")
        Larder larder() {
            return Larder.builder().store(MemoryStore.builder().maximumSize(1 << 24).build())
                    .build();
        }

        @Bean
        LarderCacheManager cacheManager(Larder larder) {
            return new LarderCacheManager(larder);
        }

        @Bean
        Service service() {
            return new Service();
        }
    }

    /** Spring's Caffeine cache manager, with its defaults. */
    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CaffeineConfig {
        @Bean
        CacheManager cacheManager() {
            return new CaffeineCacheManager();
        }

        @Bean
        Service service() {
            return new Service();
        }
    }

    @Setup
    public void setUp(ThreadParams params) {
        threads = params.getThreadCount();
        context = new AnnotationConfigApplicationContext(
                "larder".equals(manager) ? LarderConfig.class : CaffeineConfig.class);
        service = context.getBean(Service.class);
        for (int i = 0; i < KEYS; i++) {
            service.post(i);
        }
    }

    @TearDown
    public void tearDown() {
        long askedKeys = sequence.get() / Math.max(1, threads); // every key once, warm-up included
        long loads = service.loads();
        if (askedKeys > 0 && loads > 0) {
            System.out.printf("%n%s: %d loads for %d keys asked by %d threads: %.3f loads per key%n",
                    manager, loads, askedKeys, threads, (double) loads / askedKeys);
        }
        context.close();
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
    public String hit1(Cursor cursor) {
        return service.post(cursor.advance());
    }

    @Benchmark
    @Threads(2)
    public String hit2(Cursor cursor) {
        return service.post(cursor.advance());
    }

    /** Eight threads: key n is asked for by about 8 calls at about the same time. */
    @Benchmark
    @Threads(8)
    public String syncMiss8() {
        return service.fresh(sequence.getAndIncrement() / threads);
    }

    /** The one-thread hit in this thread's CPU time: 7 rounds, the managers interleaved. */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean cpu =
                java.lang.management.ManagementFactory.getThreadMXBean();
        String[] names = {"larder", "caffeine"};
        SpringCacheBench[] benches = new SpringCacheBench[names.length];
        for (int m = 0; m < names.length; m++) {
            benches[m] = new SpringCacheBench();
            benches[m].manager = names[m];
            benches[m].context = new AnnotationConfigApplicationContext(
                    "larder".equals(names[m]) ? LarderConfig.class : CaffeineConfig.class);
            benches[m].service = benches[m].context.getBean(Service.class);
            for (int i = 0; i < KEYS; i++) {
                benches[m].service.post(i);
            }
        }
        int rounds = 7;
        int ops = 1_000_000;
        double[][] figures = new double[names.length][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < names.length; m++) {
                Cursor cursor = new Cursor();
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += benches[m].hit1(cursor).length();
                }
                figures[m][round] = (double) (cpu.getCurrentThreadCpuTime() - t0) / ops;
                System.out.printf(java.util.Locale.ROOT, "round %d %-8s @Cacheable hit: %.0f CPU ns%n",
                        round + 1, names[m], figures[m][round]);
            }
        }
        double[] medians = new double[names.length];
        for (int m = 0; m < names.length; m++) {
            double[] sorted = figures[m].clone();
            java.util.Arrays.sort(sorted);
            medians[m] = sorted[rounds / 2];
        }
        System.out.printf(java.util.Locale.ROOT,
                "median @Cacheable hit (CPU ns/op): larder %.0f, caffeine %.0f;"
                        + " throughput larder / caffeine %.2f%n",
                medians[0], medians[1], medians[1] / medians[0]);
        for (SpringCacheBench b : benches) {
            b.context.close();
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
