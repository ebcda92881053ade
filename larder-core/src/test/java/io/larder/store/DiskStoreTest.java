package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.StoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStoreTest extends StoreContract {
    @TempDir
    Path temp;
    private int stores;

    @Override
    protected Store newStore() {
        return DiskStore.builder(temp.resolve("cache-" + stores++)).sweepInBackground(false)
                .build();
    }

    private DiskStore fileStore() {
        return (DiskStore) store;
    }

    private DiskStore open(Path root) {
        DiskStore opened = DiskStore.builder(root).sweepInBackground(false).build();
        opened.bind(context());
        return opened;
    }

    @Test
    void put_writesOneOwnerOnlyFileNamedByTheDigest() throws IOException {
        Key key = Key.of("posts", "de", 1);
        store.put(key, entry("v", String.class, List.of(), new long[0]));

        Path root = fileStore().root();
        Path file = root.resolve("posts").resolve(key.digest().substring(0, 2))
                .resolve(key.digest());
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve(".tags"))))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.walk(root.resolve("posts"))) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(file);
        }
    }

    @Test
    void fsync_writesFileAndFolderThrough_andReadsBack() throws Exception {
        try (DiskStore durable = DiskStore.builder(temp.resolve("durable")).fsync(true)
                .sweepInBackground(false).build()) {
            durable.bind(context());
            durable.put(Key.of("posts", 1), entry("kept", String.class, List.of(), new long[0]));
            durable.put(Key.of("posts", 1),
                    entry("replaced", String.class, List.of(), new long[0]));

            assertThat(valueOf(durable.get(Key.of("posts", 1)), String.class))
                    .isEqualTo("replaced");
            assertThat(durable.stats().ioErrors()).isZero();
        }
    }

    @Test
    void build_onARootOthersCanWrite_refusesToStartNamingThePath() throws IOException {
        Path open = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> DiskStore.builder(open).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(open.toString()).hasMessageContaining("other users");
    }

    @Test
    void build_onARootOwnedByAnotherUser_refusesToStart() throws IOException {
        Path theirs = Files.createDirectories(temp.resolve("theirs"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
        try {
            Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("nobody"));
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e; // CI runs as root and can give a folder away
            }
            Assumptions.abort("cannot give a folder to user nobody: " + e);
        }

        assertThatThrownBy(() -> DiskStore.builder(theirs).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(theirs.toString()).hasMessageContaining("belongs to nobody");
    }

    @Test
    void builder_badValues_failFastNamingTheValue() {
        assertThatThrownBy(() -> DiskStore.builder(temp).maximumEntries(0))
                .hasMessage("maximumEntries must be positive, was 0");
        assertThatThrownBy(() -> DiskStore.builder(temp).maximumBytes(-5))
                .hasMessage("maximumBytes must be positive, was -5");
        assertThatThrownBy(() -> DiskStore.builder(temp).sweepInterval(Duration.ofSeconds(-1)))
                .hasMessage("sweepInterval must be positive, was PT-1S");
    }

    @Test
    void secret_withoutOneFromTheLarder_isGeneratedOnceAndSharedByTheRoot() throws Exception {
        Path root = temp.resolve("secretless");
        StoreContext noSecret = new StoreContext(clock, Optional.empty());
        Key key = Key.of("posts", 1);
        try (DiskStore first = DiskStore.builder(root).build()) {
            first.bind(noSecret);
            first.put(key, entry("written by first", String.class, List.of(), new long[0]));
        }
        Path secret = root.resolve(".secret");
        assertThat(Files.size(secret)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                .isEqualTo("rw-------");

        try (DiskStore second = DiskStore.builder(root).build()) {
            second.bind(noSecret);
            assertThat(valueOf(second.get(key), String.class)).isEqualTo("written by first");
        }
        try (DiskStore otherSecret = DiskStore.builder(root).build()) {
            otherSecret.bind(context()); // the contract's secret: the entry is not authentic to it
            assertThat(otherSecret.get(key)).isNull();
            assertThat(otherSecret.stats().corruptDropped()).isEqualTo(1);
        }
    }

    @Test
    void restart_aNewLarderOnTheSameRoot_readsWhatTheOldWroteWithItsExpiry() {
        Path root = temp.resolve("restart");
        AtomicInteger loads = new AtomicInteger();
        Options tenMinutes = Options.ttlOf(Duration.ofMinutes(10));
        try (Larder before = larderOn(root)) {
            assertThat(before.get(Key.of("posts", 1), String.class, tenMinutes,
                    () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        }

        try (Larder after = larderOn(root)) {
            clock.advance(Duration.ofMinutes(9));
            assertThat(after.get(Key.of("posts", 1), String.class, tenMinutes,
                    () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
            clock.advance(Duration.ofMinutes(2));
            assertThat(after.get(Key.of("posts", 1), String.class, tenMinutes,
                    () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
        }
    }

    private Larder larderOn(Path root) {
        return Larder.builder().store(DiskStore.builder(root).build()).clock(clock)
                .refreshExecutor(Runnable::run).build();
    }

    @Test
    void tagGenerations_areSharedByStoresOnTheSameRoot() {
        Path root = temp.resolve("tags");
        List<String> tags = List.of("posts", "lang:de", "never");
        long[] start;
        try (DiskStore one = open(root); DiskStore two = open(root)) {
            start = one.generations(tags);
            one.invalidateTags(List.of("posts", "posts"));
            two.invalidateTags(List.of("posts", "lang:de"));

            long[] expected = {start[0] + 3, start[1] + 1, start[2]};
            assertThat(one.generations(tags)).containsExactly(expected);
            assertThat(two.generations(tags)).containsExactly(expected);
        }
        try (DiskStore restarted = open(root)) {
            assertThat(restarted.generations(List.of("posts"))).containsExactly(start[0] + 3);
        }
    }

    @Test
    void newTagTable_startsTagsAtRandomValues_notAtZero() {
        long[] first;
        try (DiskStore one = open(temp.resolve("a"))) {
            first = one.generations(List.of("posts", "lang:de"));
        }
        try (DiskStore other = open(temp.resolve("b"))) {
            long[] second = other.generations(List.of("posts", "lang:de"));
            assertThat(first).doesNotContain(0L);
            assertThat(second[0]).isNotEqualTo(first[0]);
        }
    }

    @Test
    void lostTagTable_voidsTheEntriesWrittenUnderIt() throws IOException {
        Path root = temp.resolve("lost-tags");
        Key key = Key.of("posts", 1);
        long[] written;
        try (DiskStore first = open(root)) {
            first.invalidateTags(List.of("posts"));
            written = first.generations(List.of("posts"));
            first.put(key, entry("under the old table", String.class, List.of("posts"), written));
        }
        Files.delete(root.resolve(".tags"));

        try (DiskStore second = open(root)) {
            assertThat(second.get(key)).isNull();
            assertThat(second.generations(List.of("posts"))).doesNotContain(written[0]);
        }
    }

    /**
     * Regression: the tag table's increments live in the page cache and a power cut may lose
     * the last ones; an entry written before such an increment was then valid again.
     */
    @Test
    void tagTableThatLostItsLastIncrements_inAnotherBoot_neverServesWhatTheyInvalidated()
            throws IOException {
        Path root = temp.resolve("power-cut");
        Key key = Key.of("posts", 1);
        byte[] beforeTheCut;
        long[] written;
        try (DiskStore store = DiskStore.builder(root).boot(() -> "boot-1").build()) {
            store.bind(context());
            written = store.generations(List.of("posts"));
            store.put(key, entry("old title", String.class, List.of("posts"), written));
            beforeTheCut = Files.readAllBytes(root.resolve(".tags"));
            store.invalidateTags(List.of("posts")); // the edit: lost with the power cut
        }
        Files.write(root.resolve(".tags"), beforeTheCut);

        try (DiskStore sameBoot = DiskStore.builder(root).boot(() -> "boot-1").build()) {
            // A process crash loses nothing (the page cache survives it): not reseeded.
            assertThat(sameBoot.generations(List.of("posts"))).containsExactly(written);
        }
        try (DiskStore rebooted = DiskStore.builder(root).boot(() -> "boot-2").build()) {
            rebooted.bind(context());
            long[] now = rebooted.generations(List.of("posts"));
            assertThat(now).doesNotContain(written[0]);
            StoredEntry old = rebooted.get(key);
            assertThat(old == null || !old.matches(now)).as("the old title is a miss").isTrue();
        }
    }

    @Test
    void invalidateAll_isSeenByEveryStoreOnTheRoot_andByTheNextProcess() {
        Path root = temp.resolve("all");
        try (DiskStore one = open(root); DiskStore two = open(root)) {
            long[] before = two.generations(List.of("posts", "never"));
            one.invalidateAll();
            long[] after = two.generations(List.of("posts", "never"));
            assertThat(after[0]).isNotEqualTo(before[0]);
            assertThat(after[1]).isNotEqualTo(before[1]);
            try (DiskStore three = open(root)) {
                assertThat(three.generations(List.of("posts", "never"))).containsExactly(after);
            }
        }
    }

    @Test
    void markers_areSharedByStoresOnTheRoot_andKeptAcrossRestarts() {
        Path root = temp.resolve("markers");
        try (DiskStore one = open(root); DiskStore two = open(root)) {
            one.marker("larder.log.position", 1234);
            assertThat(two.marker("larder.log.position")).hasValue(1234);
        }
        try (DiskStore restarted = open(root)) {
            assertThat(restarted.marker("larder.log.position")).hasValue(1234);
        }
    }

    @Test
    void sweep_deletesUnusableEntriesAndOrphansAndRecounts() throws IOException {
        DiskStore files = fileStore();
        long now = clock.millis();
        Key shortLived = Key.of("posts", "short");
        Key longLived = Key.of("posts", "long");
        files.put(shortLived, entry("s", String.class, List.of(), new long[0]));
        files.put(longLived, new StoredEntry(
                entry("l", String.class, List.of(), new long[0]).payload(),
                now, now + 3_600_000, now + 7_200_000, 0, List.of(), new long[0]));
        Path folder = files.root().resolve("posts").resolve(longLived.digest().substring(0, 2));
        Path orphan = folder.resolve(longLived.digest() + ".0123.tmp");
        Files.write(orphan, new byte[10]);
        Files.setLastModifiedTime(orphan,
                FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        Path young = folder.resolve(longLived.digest() + ".4567.tmp");
        Files.write(young, new byte[10]);
        try (Store.Lease lease = files.lease(longLived, Duration.ofMinutes(1))) {
            assertThat(lease.granted()).isTrue();
        }
        Store.Lease abandoned = files.lease(shortLived, Duration.ofMinutes(1));
        Path lock = files.root().resolve("posts").resolve(shortLived.digest().substring(0, 2))
                .resolve(shortLived.digest() + ".lock");
        assertThat(abandoned.granted()).isTrue();
        assertThat(lock).exists();

        clock.advance(Duration.ofMinutes(3)); // past the short entry's usable time and the lease
        files.sweepNow();

        assertThat(files.get(shortLived)).isNull();
        assertThat(files.get(longLived)).isNotNull();
        assertThat(orphan).doesNotExist();
        assertThat(young).exists();
        assertThat(lock).doesNotExist();
        assertThat(files.stats().expiredSwept()).isEqualTo(1);
        assertThat(files.usage("posts").entries()).isEqualTo(1);
        assertThat(files.stats().entries()).isEqualTo(1);
    }

    @Test
    void backgroundSweep_runsAtStartAndDeletesExpiredEntries() throws Exception {
        Path root = temp.resolve("background");
        Key key = Key.of("posts", 1);
        try (DiskStore files = open(root)) {
            files.put(key, entry("v", String.class, List.of(), new long[0]));
        }
        Path file = root.resolve("posts").resolve(key.digest().substring(0, 2))
                .resolve(key.digest());
        clock.advance(Duration.ofMinutes(3));

        try (DiskStore files = DiskStore.builder(root).sweepInterval(Duration.ofMillis(50))
                .build()) {
            files.bind(context());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // if it hangs
            while (Files.exists(file) && System.nanoTime() < deadline) {
                // waits for the sweeper thread; the entry expired by the fake clock
                Thread.sleep(10);
            }
            assertThat(file).doesNotExist();
            assertThat(files.stats().expiredSwept()).isEqualTo(1);
        }
    }

    @Test
    void removeRegion_movesTheFolderAsideAndTheSweepDeletesIt() throws IOException {
        DiskStore files = fileStore();
        for (int i = 0; i < 50; i++) {
            files.put(Key.of("posts", i), entry("v" + i, String.class, List.of(), new long[0]));
        }
        assertThat(files.usage("posts").entries()).isEqualTo(50);

        files.removeRegion("posts");
        files.sweepNow();

        assertThat(files.root().resolve("posts")).doesNotExist();
        try (Stream<Path> trash = Files.list(files.root().resolve(".trash"))) {
            assertThat(trash).isEmpty();
        }
        assertThat(files.usage("posts").entries()).isZero();
        files.put(Key.of("posts", 1), entry("again", String.class, List.of(), new long[0]));
        assertThat(valueOf(files.get(Key.of("posts", 1)), String.class)).isEqualTo("again");
    }

    @Test
    void usage_countsEntriesAndBytesPerRegion_andSurvivesARestartScan() throws IOException {
        DiskStore files = fileStore();
        for (int i = 0; i < 20; i++) {
            files.put(Key.of("pages", i),
                    entry("p".repeat(1000), String.class, List.of(), new long[0]));
        }
        files.put(Key.of("pages", 0), entry("short", String.class, List.of(), new long[0]));
        files.remove(Key.of("pages", 1));

        Store.Usage usage = files.usage("pages");
        assertThat(usage.entries()).isEqualTo(19);
        long onDisk;
        try (Stream<Path> all = Files.walk(files.root().resolve("pages"))) {
            onDisk = all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(usage.bytes()).isEqualTo(onDisk);

        try (DiskStore restarted = open(files.root())) {
            restarted.sweepNow();
            assertThat(restarted.usage("pages")).isEqualTo(new Store.Usage(19, onDisk, 0));
        }
    }
}
