package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.codec.JsonCodec;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.FakeClock;
import io.larder.testing.Soak;
import io.larder.testing.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer JVMs killed with SIGKILL at random moments of their work, many times, while this JVM
 * reads: every read is a whole value of its key or a miss; a sweep leaves no temp or lock file;
 * a key whose loader was killed holding the lease is loaded again once the lease has passed;
 * and processes × threads on one expired key load it once (or, with a failing loader, keep
 * serving it stale).
 */
class ProcessCrashTest {
    @TempDir
    Path temp;

    @Test
    void writersKilledAtRandomMoments_readsAreWholeOrMisses_andASweepLeavesNoTempFile()
            throws Exception {
        Path root = temp.resolve("cache");
        int rounds = Soak.rounds(6, 200);
        DiskStore store = DiskStore.builder(root).sweepInBackground(false).build();
        store.bind(new StoreContext(InstantSource.system(), Optional.empty()));
        LongAdder hits = new LongAdder();
        LongAdder misses = new LongAdder();
        LongAdder garbage = new LongAdder();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    readAll(store, hits, misses, garbage);
                }
            });
            reader.start();
            readers.add(reader);
        }
        int kills = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                List<WorkerJvm> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    writers.add(WorkerJvm.start(CrashWorker.class,
                            List.of("write", root.toString(), "r" + round + "w" + w)));
                }
                // Each writer is killed once it reports a random number of whole writes: in the
                // middle of a later one, or between two, however slow the machine is.
                for (WorkerJvm writer : writers) {
                    writer.awaitLine("WROTE " + ThreadLocalRandom.current().nextInt(1, 40));
                    writer.kill();
                    kills++;
                }
            }
        } finally {
            reading.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        long orphans = countFiles(root, ".tmp");
        ageTempFiles(root);
        store.sweepNow();
        readAll(store, hits, misses, garbage);

        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("rounds", (long) rounds);
        counts.put("processesKilled", (long) kills);
        counts.put("reads", hits.sum() + misses.sum() + garbage.sum());
        counts.put("hits", hits.sum());
        counts.put("misses", misses.sum());
        counts.put("tempFilesLeftByKills", orphans);
        counts.put("garbage", garbage.sum());
        counts.put("tempFilesAfterSweep", countFiles(root, ".tmp"));
        counts.put("lockFilesAfterSweep", countFiles(root, ".lock"));
        Soak.report("file-crash-writers", counts);
        assertThat(garbage.sum()).isZero();
        assertThat(hits.sum()).isPositive();
        assertThat(counts.get("tempFilesAfterSweep")).isZero();
        assertThat(counts.get("lockFilesAfterSweep")).isZero();
        assertThat(store.stats().corruptDropped()).isZero();
        store.close();
    }

    private static void readAll(DiskStore store, LongAdder hits, LongAdder misses,
            LongAdder garbage) {
        for (int k = 0; k < CrashWorker.KEYS; k++) {
            StoredEntry entry = store.get(CrashWorker.key(k));
            if (entry == null) {
                misses.increment();
                continue;
            }
            try {
                String value = (String) entry.payload().value(String.class, JsonCodec.standard());
                (CrashWorker.whole(value, k) ? hits : garbage).increment();
            } catch (IOException | RuntimeException e) {
                garbage.increment();
            }
        }
    }

    @Test
    void loaderKilledHoldingTheLease_theKeyIsLoadedOnceTheLeaseHasPassed() throws Exception {
        Path root = temp.resolve("cache");
        int rounds = Soak.rounds(2, 30);
        Duration lease = Duration.ofSeconds(5);
        int blocked = 0;
        for (int round = 0; round < rounds; round++) {
            try (WorkerJvm holder = WorkerJvm.start(CrashWorker.class, List.of("hold",
                    root.toString(), Long.toString(lease.toMillis())))) {
                holder.awaitLine("LOADING");
                holder.kill();
            }
            assertThat(countFiles(root, ".lock")).as("the dead loader's lock").isOne();
            // This process's clock is past the dead holder's lease: the lock is taken over at once.
            FakeClock clock = new FakeClock(Instant.now().plus(lease).plusSeconds(1));
            try (Larder larder = Larder.builder().store(DiskStore.builder(root).build())
                    .clock(clock).loadLease(lease).build()) {
                String value = larder.get(Key.of("crash", "hold"), String.class,
                        () -> "loaded after the crash");
                if (!value.equals("loaded after the crash")) {
                    blocked++;
                }
                larder.invalidate(Key.of("crash", "hold"));
            }
            assertThat(countFiles(root, ".lock")).as("no lock left").isZero();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("loadersKilled", rounds);
        counts.put("keysBlocked", blocked);
        Soak.report("file-crash-loader-holding-lease", counts);
        assertThat(blocked).isZero();
    }

    @Test
    void processesTimesThreadsOnOneExpiredKey_oneLoadPerExpiry_failingLoaderServesStale()
            throws Exception {
        Path root = temp.resolve("cache");
        int processes = 3;
        int threads = 4;
        int rounds = Soak.rounds(1, 15);
        long stale = 0;
        long fresh = 0;
        long wrong = 0;
        long failedLoads = 0;
        for (int round = 0; round < rounds; round++) {
            Key key = Key.of("crash", "stampede");
            // Written 10 s ago with a 1 s TTL and an hour's stale window: expired, servable.
            FakeClock past = new FakeClock(Instant.now().minusSeconds(10));
            try (Larder seed = Larder.builder().store(DiskStore.builder(root).build())
                    .clock(past).build()) {
                seed.put(key, "v1", Options.ttlOf(CrashWorker.STAMPEDE_TTL)
                        .staleFor(CrashWorker.STAMPEDE_STALE));
            }
            for (boolean succeed : new boolean[] {false, true}) {
                Path go = temp.resolve("go-" + round + succeed);
                Path loads = temp.resolve("loads-" + round + succeed);
                List<WorkerJvm> workers = new ArrayList<>();
                for (int p = 0; p < processes; p++) {
                    workers.add(WorkerJvm.start(CrashWorker.class, List.of("stampede",
                            root.toString(), go.toString(), Integer.toString(threads),
                            loads.toString(), succeed ? "succeed" : "fail")));
                }
                for (WorkerJvm worker : workers) {
                    worker.awaitReady();
                }
                Files.createFile(go);
                for (WorkerJvm worker : workers) {
                    String result = worker.result();
                    stale += count(result, "stale");
                    fresh += count(result, "fresh");
                    wrong += count(result, "wrong");
                }
                int loadCount = Files.readAllLines(loads).size();
                if (succeed) {
                    assertThat(loadCount).as("loads of one expiry, round %d", round).isOne();
                } else {
                    // Not cached: each process may try once (then backs off); none fails a read.
                    assertThat(loadCount).isBetween(1, processes);
                    failedLoads += loadCount;
                }
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("expiries", 2L * rounds);
        counts.put("reads", 2L * rounds * processes * threads);
        counts.put("servedStale", stale);
        counts.put("servedFresh", fresh);
        counts.put("failedLoads", failedLoads);
        counts.put("successfulLoads", (long) rounds);
        counts.put("wrongOrThrown", wrong);
        Soak.report("file-stampede-processes", counts);
        assertThat(wrong).isZero();
    }

    private static long count(String result, String name) {
        return Long.parseLong(result.replaceAll(".*\\b" + name + "=(\\d+).*", "$1"));
    }

    private static long countFiles(Path root, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }

    /** A minute passes for the temp files of the killed writers (the sweep's orphan age). */
    static void ageTempFiles(Path root) throws IOException {
        FileTime old = FileTime.fromMillis(System.currentTimeMillis()
                - Sweeper.ORPHAN_AGE_MILLIS - 60_000);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(RootFolder.TEMP_SUFFIX)) {
                    Files.setLastModifiedTime(file, old);
                }
            }
        }
    }
}
