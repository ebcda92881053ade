package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.larder.Key;
import io.larder.Larder;
import io.larder.testing.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only folder: through the Larder, puts fail quietly (counted), gets miss
 * or hit, nothing is thrown. The full disk is a real 2 MB tmpfs where this process may mount one
 * (as root), else a size-limited in-memory file system; the in-memory run always happens too.
 */
class DiskStoreDiskFullTest {
    private static final String PAGE = "<li>post</li>".repeat(5_000); // ~65 kB
    private final FakeClock clock = new FakeClock();
    @TempDir
    Path temp;
    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /** A 2 MB tmpfs, or an in-memory file system of 2 MB where mounting is not allowed. */
    private Path smallFileSystem() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("tmpfs"));
        if (run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", dir.toString())) {
            mounted = dir;
            return dir;
        }
        return inMemory();
    }

    private static Path inMemory() throws IOException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setMaxSize(2 * 1024 * 1024).setBlockSize(4096)
                .setAttributeViews("basic", "owner", "posix", "unix").build());
        Path dir = fs.getPath("/cache");
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    @Test
    void diskFull_putsFailQuietly_getsMiss_nothingThrown() throws Exception {
        fillTheDisk(smallFileSystem());
    }

    @Test
    void diskFull_onAnInMemoryFileSystem_putsFailQuietly_getsMiss_nothingThrown() throws Exception {
        fillTheDisk(inMemory());
    }

    private void fillTheDisk(Path dir) throws Exception {
        DiskStore store = DiskStore.builder(dir.resolve("cache")).tagSlots(1024)
                .sweepInBackground(false).build();
        try (Larder larder = Larder.builder().store(store).clock(clock)
                .hmacSecret("disk-full-test-secret-0123456789".getBytes())
                .refreshExecutor(Runnable::run).build()) {
            AtomicInteger loads = new AtomicInteger();
            for (int i = 0; i < 100; i++) { // 100 x 65 kB into 2 MB
                int n = i;
                assertThat(larder.get(Key.of("pages", n), String.class, () -> {
                    loads.incrementAndGet();
                    return PAGE + n;
                })).isEqualTo(PAGE + n);
            }
            assertThat(store.stats().ioErrors()).isPositive();
            assertThat(larder.stats().get("pages").storeErrors()).isPositive();
            long stored = store.stats().entries();
            assertThat(stored).isBetween(5L, 40L);

            // Reads of what did not fit miss (the loader runs again); what did fit still hits.
            int before = loads.get();
            assertThat(larder.get(Key.of("pages", 99), String.class, () -> {
                loads.incrementAndGet();
                return "again";
            })).isEqualTo("again");
            assertThat(larder.get(Key.of("pages", 0), String.class, () -> "not loaded"))
                    .isEqualTo(PAGE + 0);
            assertThat(loads.get()).isEqualTo(before + 1);
            assertThat(store.get(Key.of("pages", 98))).isNull();
            assertThatThrownBy(() -> store.put(Key.of("pages", 99), store.get(Key.of("pages", 0))))
                    .isInstanceOf(UncheckedIOException.class);

            try (Stream<Path> files = Files.walk(dir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).as("temp files left")
                        .isEmpty();
            }
        }
    }

    @Test
    void readOnlyRegionFolder_putsFailQuietly_storedEntriesStillHit() throws Exception {
        DiskStore store = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false).build();
        try (Larder larder = Larder.builder().store(store).clock(clock)
                .hmacSecret("disk-full-test-secret-0123456789".getBytes())
                .refreshExecutor(Runnable::run).build()) {
            larder.get(Key.of("pages", "kept"), String.class, () -> "written before");
            Path region = store.root().resolve("pages");
            // A read-only bind mount of the region's folder onto itself (root only).
            if (run("mount", "--bind", region.toString(), region.toString())) {
                mounted = region;
            }
            if (mounted == null || !run("mount", "-o", "remount,bind,ro", region.toString())) {
                if ("true".equals(System.getenv("CI"))) {
                    fail("cannot make " + region
                            + " read-only with a bind mount (CI runs as root)");
                }
                Assumptions.abort("not root: cannot make a folder read-only with a bind mount");
            }

            assertThat(larder.get(Key.of("pages", "kept"), String.class, () -> "reloaded"))
                    .isEqualTo("written before");
            assertThat(larder.get(Key.of("pages", "new"), String.class, () -> "loaded"))
                    .isEqualTo("loaded");
            assertThat(larder.get(Key.of("pages", "new"), String.class, () -> "loaded again"))
                    .isEqualTo("loaded again");
            assertThat(store.stats().ioErrors()).isPositive();
            assertThat(larder.stats().get("pages").storeErrors()).isPositive();
        }
    }
}
