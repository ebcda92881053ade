package io.larder.store;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JVM that {@link ProcessCrashTest} starts on a shared root and usually kills with SIGKILL.
 * Prints {@code READY} once its store is open; modes: {@code write} (writes shared keys until
 * killed, printing {@code WROTE n} after its n-th write), {@code hold} (a loader that prints
 * {@code LOADING} and never returns, holding the key's lease), {@code stampede} (threads read one
 * expired key at once, the loader logging each run).
 */
public final class CrashWorker {
    /** The keys every writer writes and every reader checks. */
    static final int KEYS = 8;
    static final Duration STAMPEDE_TTL = Duration.ofSeconds(1);
    static final Duration STAMPEDE_STALE = Duration.ofHours(1);

    private CrashWorker() {
    }

    /** {@code write <root> <name>}, {@code hold <root> <lease ms>}, or
     * {@code stampede <root> <go> <threads> <loads file> <succeed|fail>}. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> write(root, args[2]);
            case "hold" -> hold(root, Long.parseLong(args[2]));
            case "stampede" -> stampede(root, Path.of(args[2]), Integer.parseInt(args[3]),
                    Path.of(args[4]), args[5].equals("succeed"));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static Key key(int i) {
        return Key.of("crash", i);
    }

    /**
     * A value that names its key and says whether it is whole (see {@link #whole}); one in four
     * is up to 1 MB, so that a writer is often killed with a temp file half written.
     */
    static String value(String writer, int key, int seq) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int length = random.nextInt(4) == 0
                ? random.nextInt(1, 1 << 20) : random.nextInt(1, 20_000);
        return DiskStoreWorker.value(writer + "#" + key, seq, length);
    }

    /** Whether {@code value} is one that some writer wrote, whole, for key {@code key}. */
    static boolean whole(String value, int key) {
        return value.split(":", 2)[0].endsWith("#" + key) && DiskStoreWorker.whole(value);
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    /**
     * Writes random keys as fast as it can, until killed, and reports each write done (the test
     * kills it on this progress, not after some time in which a busy machine may write nothing).
     */
    private static void write(Path root, String name) {
        DiskStore store = DiskStore.builder(root).sweepInBackground(false).build();
        ready();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int seq = 0; ; seq++) {
            int k = random.nextInt(KEYS);
            long now = System.currentTimeMillis();
            store.put(key(k), new StoredEntry(Payload.ofValue(value(name, k, seq), String.class,
                    JsonCodec.standard()), now, now + 3_600_000, now + 3_600_000, 0, List.of(),
                    new long[0]));
            System.out.println("WROTE " + (seq + 1));
            System.out.flush();
        }
    }

    /** Starts a load of {@code crash/hold} whose loader says so and then never returns. */
    private static void hold(Path root, long leaseMillis) throws Exception {
        try (Larder larder = Larder.builder().store(DiskStore.builder(root).build())
                .loadLease(Duration.ofMillis(leaseMillis)).build()) {
            ready();
            larder.get(Key.of("crash", "hold"), String.class, () -> {
                System.out.println("LOADING");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
                return "never";
            });
        }
    }

    /**
     * {@code threads} threads read {@code crash/stampede} (expired, still in its stale window) at
     * once; the loader appends a line to {@code loads}, takes 300 ms, and returns "v2" or fails.
     * Waits for the refreshes it started to end, then prints the counts of stale, fresh and wrong
     * reads.
     */
    private static void stampede(Path root, Path go, int threads, Path loads, boolean succeed)
            throws Exception {
        Options options = Options.ttlOf(STAMPEDE_TTL).staleFor(STAMPEDE_STALE);
        Key key = Key.of("crash", "stampede");
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger fresh = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        ExecutorService refreshes = Executors.newCachedThreadPool();
        try (Larder larder = Larder.builder().store(DiskStore.builder(root).build())
                .refreshExecutor(refreshes).loadLease(Duration.ofSeconds(30))
                .refreshBackoff(Duration.ofMinutes(1)).build()) {
            ready();
            while (!Files.exists(go)) {
                Thread.sleep(1);
            }
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        String value = larder.get(key, String.class, options, () -> {
                            Files.write(loads, (ProcessHandle.current().pid() + "\n")
                                    .getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND);
                            Thread.sleep(300);
                            if (!succeed) {
                                throw new IllegalStateException("the database is down");
                            }
                            return "v2";
                        });
                        (value.equals("v1") ? stale : value.equals("v2") ? fresh : wrong)
                                .incrementAndGet();
                    } catch (RuntimeException e) {
                        wrong.incrementAndGet();
                    }
                });
                thread.start();
                started.add(thread);
            }
            for (Thread thread : started) {
                thread.join();
            }
            // Every refresh these reads started is submitted by now: let them end before closing
            // (closing would interrupt one, and another process could then load the key again).
            refreshes.shutdown();
            if (!refreshes.awaitTermination(2, TimeUnit.MINUTES)) {
                wrong.incrementAndGet();
            }
        }
        System.out.println("RESULT stale=" + stale + " fresh=" + fresh + " wrong=" + wrong);
    }
}
