package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounds hold, and keeping them never costs a write a walk of the whole tree. */
class DiskStoreBoundsTest {
    @TempDir
    Path temp;
    private final FakeClock clock = new FakeClock();
    private final List<Path> cleanup = new ArrayList<>();

    private DiskStore open(DiskStore.Builder builder) {
        DiskStore store = builder.sweepInBackground(false).build();
        store.bind(new StoreContext(clock,
                Optional.of("bounds-test-secret-0123456789".getBytes())));
        return store;
    }

    private StoredEntry entry(int payloadBytes) {
        long now = clock.millis();
        return new StoredEntry(
                Payload.ofBytes("v".repeat(payloadBytes).getBytes(StandardCharsets.UTF_8)),
                now, now + 60_000, now + 60_000, 0, List.of("@region:posts"), new long[1]);
    }

    private static long[] filesAndBytes(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> entries = all.filter(p -> RootFolder.isEntryName(p.getFileName().toString()))
                    .toList();
            long bytes = 0;
            for (Path p : entries) {
                bytes += Files.size(p);
            }
            return new long[] {entries.size(), bytes};
        }
    }

    /** A folder in memory (tmpfs) where there is one: this test is about bounds, not the disk. */
    private Path fastFolder() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            Path folder = Files.createTempDirectory(shm, "larder-bounds-");
            cleanup.add(folder);
            return folder;
        }
        return temp;
    }

    @AfterEach
    void deleteFastFolders() throws IOException {
        for (Path folder : cleanup) {
            try (Stream<Path> all = Files.walk(folder)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void hundredThousandKeys_intoFiveThousandEntries_theBoundHolds_andEvictionWorkStaysSmall()
            throws IOException {
        Path root = fastFolder().resolve("cache");
        try (DiskStore store = open(DiskStore.builder(root).maximumEntries(5_000))) {
            long maxListedAtTenThousand = 0;
            for (int i = 0; i < 100_000; i++) {
                store.put(Key.of(i % 3 == 0 ? "posts" : "pages", i), entry(16));
                if (i == 10_000) {
                    maxListedAtTenThousand = store.bounds().maxListed.get();
                }
            }

            long[] onDisk = filesAndBytes(root);
            assertThat(onDisk[0]).isLessThanOrEqualTo(5_000).isGreaterThan(4_500);
            assertThat(store.stats().entries()).isEqualTo(onDisk[0]);
            assertThat(store.stats().bytes()).isEqualTo(onDisk[1]);
            assertThat(store.stats().evictions()).isEqualTo(100_000 - onDisk[0]);
            assertThat(store.usage("posts").evictions() + store.usage("pages").evictions())
                    .isEqualTo(store.stats().evictions());
            // An eviction lists one sub-folder of one region (~5,000 * 2/3 / 256 names), never the
            // tree; and what it lists does not grow from 10,000 writes to 100,000.
            long maxListed = store.bounds().maxListed.get();
            // (Sub-folder sizes vary with the hash; the bounds leave room for that variance but
            // would catch a listing that grows with the tree: 100,000 writes list 20x more.)
            assertThat(maxListed).isLessThan(64);
            assertThat(maxListed).isLessThanOrEqualTo(2 * maxListedAtTenThousand + 10);
        }
    }

    @Test
    void boundedByBytes_theBoundHolds() throws IOException {
        Path root = fastFolder().resolve("bytes");
        try (DiskStore store = open(DiskStore.builder(root).maximumBytes(256 * 1024))) {
            for (int i = 0; i < 2_000; i++) {
                store.put(Key.of("pages", i), entry(1_000 + i % 1_000));
            }

            long[] onDisk = filesAndBytes(root);
            assertThat(onDisk[1]).isLessThanOrEqualTo(256 * 1024).isGreaterThan(200 * 1024);
            assertThat(store.stats().bytes()).isEqualTo(onDisk[1]);
        }
    }

    @Test
    void eviction_prefersEntriesWrittenLongAgo() throws IOException {
        Path root = fastFolder().resolve("oldest");
        try (DiskStore store = open(DiskStore.builder(root).maximumEntries(2_000))) {
            for (int i = 0; i < 4_000; i++) {
                store.put(Key.of("pages", i), entry(8));
            }
            int survivorsOfFirstHalf = 0;
            for (int i = 0; i < 2_000; i++) {
                if (store.get(Key.of("pages", i)) != null) {
                    survivorsOfFirstHalf++;
                }
            }
            // Random eviction would keep about half of them; sampling by age keeps far fewer.
            assertThat(survivorsOfFirstHalf).isLessThan(600);
        }
    }
}
