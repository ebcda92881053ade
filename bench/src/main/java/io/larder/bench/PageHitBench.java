package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Snapshot;
import io.larder.Options;
import io.larder.Source;
import io.larder.codec.JsonCodec;
import io.larder.javalin.CachedPage;
import io.larder.spi.StoredEntry;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one page-cache hit costs below HTTP (issue 18): the Javalin page cache's lookup of a
 * 13.5 KB {@link CachedPage} through {@code Larder.lookupStored} on the memory store and on the
 * file store, and the file hit's parts: the store's read (file, checks, entry) and the codec's
 * decode of the page. The warm-up outlasts the file store's settle time, so file hits are the
 * trusted reads a busy site makes: a {@code stat} and the memo's entry, or, on a store without
 * the memo ({@code NoMemo}), a read of the file without its HMAC. {@code *HitAgain} is the page
 * front's way: the page last read served again while the store vouches for it
 * ({@code Larder.hitAgain}; on the file store, one {@code stat}), else read and kept.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PageHitBench
 * java -cp bench/target/benchmarks.jar io.larder.bench.PageHitBench   # in CPU time
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class PageHitBench {
    private static final byte[] SECRET = "bench-secret-0123456789abcdef".getBytes();
    private static final Source<CachedPage> NO_LOAD = () -> {
        throw new IllegalStateException("a hit was expected");
    };

    private Path dir;
    private Larder memory;
    private Larder file;
    private DiskStore store;
    private Larder fileNoMemo;
    private DiskStore storeNoMemo;
    private Key key;
    private byte[] encoded;
    private Snapshot<CachedPage> heldMemory;
    private Snapshot<CachedPage> heldFile;

    /** A page shaped like the blog's home: 13.5 KB of HTML, a type and one header. */
    static CachedPage page() {
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><body>\n");
        for (int i = 0; html.length() < 13_500; i++) {
            html.append("<article><h2><a href=\"/en/post/").append(i).append("\">Post ")
                    .append(i).append(" about caching pages</a></h2><p>Lorem ipsum, ")
                    .append("dolor sit amet &amp; more.</p></article>\n");
        }
        html.setLength(13_500);
        return CachedPage.of(200, "text/html;charset=utf-8", Map.of("X-Frame-Options", "DENY"),
                html.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("larder-bench-page");
        key = Key.of("page", "/en/");
        CachedPage page = page();
        memory = Larder.builder().store(MemoryStore.builder().maximumSize(100).build()).build();
        store = DiskStore.builder(dir).build();
        file = Larder.builder().store(store).hmacSecret(SECRET).build();
        storeNoMemo = DiskStore.builder(dir.resolve("no-memo")).memoBytes(0).build();
        fileNoMemo = Larder.builder().store(storeNoMemo).hmacSecret(SECRET).build();
        memory.put(key, page);
        file.put(key, page);
        fileNoMemo.put(key, page);
        encoded = JsonCodec.standard().encode(page, CachedPage.class);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        memory.close();
        file.close();
        fileNoMemo.close();
        DiskStoreBench.deleteTree(dir);
    }

    @Benchmark
    public Snapshot<CachedPage> memoryHit() {
        return memory.lookupStored(key, CachedPage.class, Options.NONE, NO_LOAD);
    }

    @Benchmark
    public Snapshot<CachedPage> fileHit() {
        return file.lookupStored(key, CachedPage.class, Options.NONE, NO_LOAD);
    }

    /**
     * A page front's hit on the memory store: the page last read, vouched for again
     * ({@code Larder.hitAgain}), else read again and kept (as {@code PageFront} does).
     */
    @Benchmark
    public boolean memoryHitAgain() {
        Snapshot<CachedPage> last = heldMemory;
        if (last != null && memory.hitAgain(last)) {
            return true;
        }
        heldMemory = memory.lookupStored(key, CachedPage.class, Options.NONE, NO_LOAD);
        return false;
    }

    /** The same on the file store: its memo's entry vouched for by one {@code stat}. */
    @Benchmark
    public boolean fileHitAgain() {
        Snapshot<CachedPage> last = heldFile;
        if (last != null && file.hitAgain(last)) {
            return true;
        }
        heldFile = file.lookupStored(key, CachedPage.class, Options.NONE, NO_LOAD);
        return false;
    }

    @Benchmark
    public Snapshot<CachedPage> fileHitNoMemo() {
        return fileNoMemo.lookupStored(key, CachedPage.class, Options.NONE, NO_LOAD);
    }

    /** The file store's part of a file hit: a stat and the memo's entry. */
    @Benchmark
    public StoredEntry fileStoreGet() {
        return store.get(key);
    }

    /** The same without the memo: read the file, check its identity, parse the entry. */
    @Benchmark
    public StoredEntry fileStoreGetNoMemo() {
        return storeNoMemo.get(key);
    }

    /** The codec's part of a file hit: the page out of its stored bytes. */
    @Benchmark
    public Object decode() throws IOException {
        return JsonCodec.standard().decode(encoded, CachedPage.class);
    }

    /**
     * The same costs in this thread's CPU time, which a busy machine disturbs far less than
     * wall time (JMH's figures swing by 10x while other builds run).
     */
    public static void main(String[] args) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        PageHitBench bench = new PageHitBench();
        bench.setUp();
        Thread.sleep(2_100); // a file written in the last 2 s is authenticated on every read
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (int round = 1; round <= 5; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.memoryHit();
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.fileHit();
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.fileStoreGet();
            }
            long t3 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.decode();
            }
            long t4 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.fileHitNoMemo();
            }
            long t5 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.fileStoreGetNoMemo();
            }
            long t6 = cpu.getCurrentThreadCpuTime();
            int memoryAgain = 0;
            for (int i = 0; i < ops; i++) {
                memoryAgain += bench.memoryHitAgain() ? 1 : 0;
            }
            long t7 = cpu.getCurrentThreadCpuTime();
            int fileAgain = 0;
            for (int i = 0; i < ops; i++) {
                fileAgain += bench.fileHitAgain() ? 1 : 0;
            }
            long t8 = cpu.getCurrentThreadCpuTime();
            System.out.printf(Locale.ROOT, "round %d (CPU us/op): memoryHit %.2f, fileHit %.2f,"
                    + " fileStoreGet %.2f, decode %.2f, fileHitNoMemo %.2f,"
                    + " fileStoreGetNoMemo %.2f, memoryHitAgain %.2f (%d of %d vouched),"
                    + " fileHitAgain %.2f (%d of %d vouched)%n", round, (t1 - t0) / 1e3 / ops,
                    (t2 - t1) / 1e3 / ops, (t3 - t2) / 1e3 / ops, (t4 - t3) / 1e3 / ops,
                    (t5 - t4) / 1e3 / ops, (t6 - t5) / 1e3 / ops, (t7 - t6) / 1e3 / ops,
                    memoryAgain, ops, (t8 - t7) / 1e3 / ops, fileAgain, ops);
        }
        bench.tearDown();
    }
}
