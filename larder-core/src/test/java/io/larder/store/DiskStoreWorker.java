package io.larder.store;

import io.larder.Key;
import io.larder.Larder;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A separate JVM that {@link DiskStoreProcessesTest} starts on a shared root. Prints
 * {@code READY} once its store is open, waits for the go file, works, and prints one
 * {@code RESULT} line; exits 0 unless something it saw was wrong.
 */
public final class DiskStoreWorker {
    private DiskStoreWorker() {
    }

    /** {@code churn|flight|bump <root> <go file> ...}; see each mode. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        Path go = Path.of(args[2]);
        switch (args[0]) {
            case "churn" -> churn(root, go, args[3], Long.parseLong(args[4]));
            case "flight" -> flight(root, go, Integer.parseInt(args[3]), Path.of(args[4]));
            case "bump" -> bump(root, go, Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void awaitGo(Path go) throws InterruptedException {
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.sleep(1); // the test creates the go file once every worker is ready
        }
    }

    /**
     * A value that says whether it is whole: its writer, its length, then that many copies of one
     * letter.
     */
    static String value(String writer, int seq) {
        return value(writer, seq, ThreadLocalRandom.current().nextInt(1, 20_000));
    }

    /** A value of {@code length} letters after its header; see {@link #value(String, int)}. */
    static String value(String writer, int seq, int length) {
        char letter = (char) ('a' + seq % 26);
        return writer + ":" + seq + ":" + length + ":" + String.valueOf(letter).repeat(length);
    }

    static boolean whole(String value) {
        String[] parts = value.split(":", 4);
        if (parts.length != 4) {
            return false;
        }
        int seq = Integer.parseInt(parts[1]);
        int length = Integer.parseInt(parts[2]);
        char letter = (char) ('a' + seq % 26);
        return parts[3].length() == length && parts[3].chars().allMatch(c -> c == letter);
    }

    /** Writes and reads 8 shared keys for {@code millis}; every read must be whole or a miss. */
    private static void churn(Path root, Path go, String name, long millis) throws Exception {
        try (DiskStore store = DiskStore.builder(root).build()) {
            store.bind(new StoreContext(InstantSource.system(), Optional.empty()));
            // Warm the codec up before the clock starts: on a loaded machine its first use alone
            // can take the whole window.
            Payload.ofValue(value(name, 0), String.class, JsonCodec.standard()).bytes();
            awaitGo(go);
            long end = System.currentTimeMillis() + millis;
            int writes = 0;
            int hits = 0;
            int misses = 0;
            int garbage = 0;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            // At least 500 operations, however slow the machine, so that the JVMs overlap.
            while (System.currentTimeMillis() < end || writes + hits + misses + garbage < 500) {
                Key key = Key.of("churn", random.nextInt(8));
                if (random.nextBoolean()) {
                    long now = System.currentTimeMillis();
                    store.put(key, new StoredEntry(Payload.ofValue(value(name, writes++),
                            String.class, JsonCodec.standard()), now, now + 60_000, now + 60_000,
                            0, List.of(), new long[0]));
                } else {
                    StoredEntry entry = store.get(key);
                    if (entry == null) {
                        misses++;
                    } else if (whole((String) entry.payload().value(String.class,
                            JsonCodec.standard()))) {
                        hits++;
                    } else {
                        garbage++;
                    }
                }
            }
            System.out.println("RESULT writes=" + writes + " hits=" + hits + " misses=" + misses
                    + " garbage=" + garbage + " corrupt=" + store.stats().corruptDropped()
                    + " ioErrors=" + store.stats().ioErrors());
        }
    }

    /**
     * {@code threads} threads get one key through a Larder; the loader logs each run to
     * {@code loads}.
     */
    private static void flight(Path root, Path go, int threads, Path loads) throws Exception {
        try (Larder larder = Larder.builder().store(DiskStore.builder(root).build())
                .loadLease(Duration.ofSeconds(20)).build()) {
            awaitGo(go);
            AtomicInteger right = new AtomicInteger();
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    String value = larder.get(Key.of("flight", "home", 1), String.class, () -> {
                        Files.write(loads, (ProcessHandle.current().pid() + "\n")
                                .getBytes(StandardCharsets.UTF_8),
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        // a slow query: the others must wait for it, not run their own
                        Thread.sleep(500);
                        return "loaded once";
                    });
                    if ("loaded once".equals(value)) {
                        right.incrementAndGet();
                    }
                });
                thread.start();
                started.add(thread);
            }
            for (Thread thread : started) {
                thread.join();
            }
            System.out.println("RESULT right=" + right.get());
        }
    }

    /** Invalidates the tag "shared" {@code times} times. */
    private static void bump(Path root, Path go, int times)
            throws IOException, InterruptedException {
        try (DiskStore store = DiskStore.builder(root).build()) {
            store.bind(new StoreContext(InstantSource.system(), Optional.empty()));
            awaitGo(go);
            for (int i = 0; i < times; i++) {
                store.invalidateTags(List.of("shared"));
            }
            System.out.println("RESULT done");
        }
    }
}
