package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.spi.EntryFormat;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.store.DiskStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DiskStore against the floor (a plain {@code Files.readAllBytes} of the same payload) and
 * against Ehcache 3's persistent disk tier: hit latency at 1 kB and 64 kB, put latency (p99)
 * with 100 and 100,000 entries present, and the cost of reading tag generations on a hit.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar DiskStoreBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * java -cp bench/target/benchmarks.jar io.larder.bench.DiskStoreBench   # hit ratio in CPU time
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DiskStoreBench {
    private static final int KEYS = 1_000;
    private static final byte[] SECRET = "bench-secret-0123456789abcdef".getBytes();
    private static final List<String> TAGS = List.of("@region:pages", "posts");

    static StoredEntry entry(byte[] payload) {
        return entry(payload, new long[TAGS.size()]);
    }

    /** An entry written under {@code generations} of {@link #TAGS} (the store's, to be a hit). */
    static StoredEntry entry(byte[] payload, long[] generations) {
        long now = System.currentTimeMillis();
        return new StoredEntry(Payload.ofBytes(payload), now, now + 3_600_000, now + 3_600_000, 0,
                TAGS, generations);
    }

    static DiskStore fileStore(Path root) {
        return fileStore(root, 16L << 20);
    }

    /** A store on {@code root} whose memo of trusted entries holds {@code memoBytes}. */
    static DiskStore fileStore(Path root, long memoBytes) {
        DiskStore store = DiskStore.builder(root).memoBytes(memoBytes)
                .maximumEntries(1_000_000).maximumBytes(1L << 34).build();
        store.bind(new StoreContext(InstantSource.system(), Optional.of(SECRET)));
        return store;
    }

    static PersistentCacheManager ehcache(Path dir, long megabytes) {
        return CacheManagerBuilder.newCacheManagerBuilder()
                .with(CacheManagerBuilder.persistence(dir.toFile()))
                .withCache("bench", CacheConfigurationBuilder.newCacheConfigurationBuilder(
                        String.class, byte[].class, ResourcePoolsBuilder.newResourcePoolsBuilder()
                                .disk(megabytes, MemoryUnit.MB, true)))
                .build(true);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** 1,000 entries of one size, as plain files, in a DiskStore, in a Larder and in Ehcache. */
    @State(Scope.Benchmark)
    public static class Reads {
        @Param({"1024", "65536"})
        int size;
        Path dir;
        Path[] plain = new Path[KEYS];
        Key[] keys = new Key[KEYS];
        String[] names = new String[KEYS];
        DiskStore store;
        DiskStore noMemo;
        Larder larder;
        PersistentCacheManager manager;
        Cache<String, byte[]> cache;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("larder-bench-reads");
            byte[] payload = new byte[size];
            ThreadLocalRandom.current().nextBytes(payload);
            Files.createDirectories(dir.resolve("plain"));
            store = fileStore(dir.resolve("store"));
            noMemo = fileStore(dir.resolve("no-memo"), 0);
            manager = ehcache(dir.resolve("ehcache"), 256);
            cache = manager.getCache("bench", String.class, byte[].class);
            larder = Larder.builder()
                    .store(fileStore(dir.resolve("larder"))).hmacSecret(SECRET).build();
            String text = "x".repeat(size);
            for (int i = 0; i < KEYS; i++) {
                plain[i] = dir.resolve("plain").resolve("f" + i);
                Files.write(plain[i], payload);
                keys[i] = Key.of("pages", i);
                store.put(keys[i], entry(payload, store.generations(TAGS)));
                noMemo.put(keys[i], entry(payload, noMemo.generations(TAGS)));
                names[i] = "pages:" + i;
                cache.put(names[i], payload);
                larder.get(keys[i], String.class, () -> text);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            larder.close();
            store.close();
            noMemo.close();
            manager.close();
            deleteTree(dir);
        }
    }

    @Benchmark
    public byte[] readAllBytes(Reads state) throws IOException {
        return Files.readAllBytes(state.plain[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    /**
     * A hit as the Larder makes it: the entry (from the memo of 16 MiB if it holds it, else read
     * and verified), then check the tag generations.
     */
    @Benchmark
    public StoredEntry fileStoreHit(Reads state) {
        return hit(state.store, state.keys[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    /** The same on a store without the memo: every hit reads its file. */
    @Benchmark
    public StoredEntry fileStoreHitNoMemo(Reads state) {
        return hit(state.noMemo, state.keys[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    private static StoredEntry hit(DiskStore store, Key key) {
        StoredEntry entry = store.get(key);
        if (!entry.matches(store.generations(entry.tags()))) {
            throw new IllegalStateException("invalidated");
        }
        return entry;
    }

    /** The whole hit through the Larder, decoding the value (a String). */
    @Benchmark
    public String larderHit(Reads state) {
        return state.larder.get(state.keys[ThreadLocalRandom.current().nextInt(KEYS)], String.class,
                () -> {
                    throw new IllegalStateException("a hit was expected");
                });
    }

    @Benchmark
    public byte[] ehcacheDiskHit(Reads state) {
        return state.cache.get(state.names[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    /** What every hit pays to check its tags: two slots of the shared, memory-mapped table. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long[] tagGenerations(Reads state) {
        return state.store.generations(TAGS);
    }

    /** A DiskStore holding {@code entries} entries of 1 kB; each put replaces a random one. */
    @State(Scope.Benchmark)
    public static class FileWrites {
        @Param({"100", "100000"})
        int entries;
        Path dir;
        DiskStore store;
        Key[] keys;
        StoredEntry entry;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("larder-bench-puts");
            store = fileStore(dir.resolve("store"));
            entry = entry(new byte[1024]);
            keys = new Key[entries];
            for (int i = 0; i < entries; i++) {
                keys[i] = Key.of("pages", i);
                store.put(keys[i], entry);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            store.close();
            deleteTree(dir);
        }
    }

    @Benchmark
    public void fileStorePut(FileWrites state) {
        state.store.put(state.keys[ThreadLocalRandom.current().nextInt(state.entries)],
                state.entry);
    }

    /** Ehcache's persistent disk tier holding {@code entries} entries of 1 kB. */
    @State(Scope.Benchmark)
    public static class EhcacheWrites {
        @Param({"100", "100000"})
        int entries;
        Path dir;
        PersistentCacheManager manager;
        Cache<String, byte[]> cache;
        String[] names;
        byte[] payload = new byte[1024];

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("larder-bench-ehcache");
            manager = ehcache(dir.resolve("ehcache"), 1024);
            cache = manager.getCache("bench", String.class, byte[].class);
            names = new String[entries];
            for (int i = 0; i < entries; i++) {
                names[i] = "pages:" + i;
                cache.put(names[i], payload);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            manager.close();
            deleteTree(dir);
        }
    }

    /**
     * The hit ratio (DiskStore hit ÷ {@code Files.readAllBytes}) in this thread's CPU time, which
     * a busy machine disturbs far less than wall time; also what {@link EntryFormat#read} costs
     * alone (checksum and HMAC).
     */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws IOException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        DiskStoreBench bench = new DiskStoreBench();
        EntryFormat format = new EntryFormat(SECRET);
        int ops = 20_000;
        for (int size : new int[] {1024, 65536}) {
            Reads state = new Reads();
            state.size = size;
            state.setUp();
            sleep(2_100); // files written in the last 2 s are authenticated on every read
            byte[] bytes = format.write(state.keys[0].digest(), entry(new byte[size]));
            for (int round = 1; round <= 5; round++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    bench.readAllBytes(state);
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    bench.fileStoreHit(state);
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    try {
                        format.read(state.keys[0].digest(), bytes);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                long t3 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    bench.fileStoreHitNoMemo(state);
                }
                long t4 = cpu.getCurrentThreadCpuTime();
                System.out.printf(Locale.ROOT, "%d B round %d (CPU us/op): readAllBytes %.2f,"
                        + " fileStoreHit %.2f, EntryFormat.read %.2f, hit / readAllBytes %.2f,"
                        + " fileStoreHitNoMemo %.2f, no memo / readAllBytes %.2f%n",
                        size, round, (t1 - t0) / 1e3 / ops, (t2 - t1) / 1e3 / ops,
                        (t3 - t2) / 1e3 / ops, (double) (t2 - t1) / (t1 - t0),
                        (t4 - t3) / 1e3 / ops, (double) (t4 - t3) / (t1 - t0));
            }
            state.tearDown();
        }
    }

    @Benchmark
    public void ehcacheDiskPut(EhcacheWrites state) {
        state.cache.put(state.names[ThreadLocalRandom.current().nextInt(state.entries)],
                state.payload);
    }
}
