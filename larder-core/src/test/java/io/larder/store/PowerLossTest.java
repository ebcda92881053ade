package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.codec.JsonCodec;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.Soak;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power lost while a store writes: images of the root taken mid-write (temp files half written,
 * renames in flight), in which every file the store did not force to disk (with {@code fsync}
 * off: every entry and temp file) then suffers what a file system may do to unsynced data after
 * a power cut: kept, emptied, truncated, zero-filled, zero-filled from some offset, its tail
 * replaced by another file's old blocks, or lost. A store opened on the image never returns
 * garbage, and its next sweep leaves no temp file.
 */
class PowerLossTest {
    private static final byte[] SECRET =
            "power-loss-secret-0123456789abcd".getBytes(StandardCharsets.UTF_8);

    /** What a power cut may leave of a file whose data was not forced to disk. */
    enum Fate { KEPT, EMPTIED, TRUNCATED, CUT_IN_HEADER, ZEROED, ZERO_TAIL, FOREIGN_TAIL, LOST }

    @TempDir
    Path temp;

    @Test
    void imagesTakenMidWrite_unsyncedFilesTornZeroedOrLost_neverGarbage() throws Exception {
        int images = Soak.rounds(40, 2_000);
        Path live = temp.resolve("live");
        DiskStore writer = DiskStore.builder(live).sweepInBackground(false).build();
        writer.bind(new StoreContext(InstantSource.system(), Optional.of(SECRET)));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writes = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int seq = 0; writing.get(); seq++) {
                int k = random.nextInt(CrashWorker.KEYS);
                long now = System.currentTimeMillis();
                writer.put(CrashWorker.key(k), new StoredEntry(io.larder.spi.Payload.ofValue(
                        CrashWorker.value("w", k, seq), String.class, JsonCodec.standard()),
                        now, now + 3_600_000, now + 3_600_000, 0, List.of(), new long[0]));
                written.incrementAndGet();
            }
        });
        writes.start();
        while (written.get() < 200) {
            Thread.sleep(5);
        }
        Map<Fate, Long> fates = new EnumMap<>(Fate.class);
        long hits = 0;
        long misses = 0;
        long garbage = 0;
        long tempLeft = 0;
        long tempInImages = 0;
        Random random = new Random(42);
        try {
            for (int round = 0; round < images; round++) {
                Path image = temp.resolve("image" + round);
                copyTree(live, image);
                tempInImages += files(image).stream()
                        .filter(f -> f.toString().endsWith(RootFolder.TEMP_SUFFIX)).count();
                for (Path file : files(image)) {
                    Fate fate = Fate.values()[random.nextInt(Fate.values().length)];
                    apply(fate, file, random);
                    fates.merge(fate, 1L, Long::sum);
                }
                try (DiskStore store = DiskStore.builder(image).sweepInBackground(false).build()) {
                    store.bind(new StoreContext(InstantSource.system(), Optional.of(SECRET)));
                    for (int pass = 0; pass < 2; pass++) {
                        for (int k = 0; k < CrashWorker.KEYS; k++) {
                            StoredEntry entry = store.get(CrashWorker.key(k));
                            if (entry == null) {
                                misses++;
                            } else if (CrashWorker.whole((String) entry.payload()
                                    .value(String.class, JsonCodec.standard()), k)) {
                                hits++;
                            } else {
                                garbage++;
                            }
                        }
                        ProcessCrashTest.ageTempFiles(image);
                        store.sweepNow();
                    }
                    tempLeft += files(image).stream()
                            .filter(f -> f.toString().endsWith(RootFolder.TEMP_SUFFIX)).count();
                }
                deleteTree(image);
            }
        } finally {
            writing.set(false);
            writes.join();
            writer.close();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("images", (long) images);
        counts.put("writesMeanwhile", written.get());
        fates.forEach((fate, n) -> counts.put("files" + fate, n));
        counts.put("reads", hits + misses + garbage);
        counts.put("hits", hits);
        counts.put("misses", misses);
        counts.put("garbage", garbage);
        counts.put("tempFilesInImages", tempInImages);
        counts.put("tempFilesAfterSweep", tempLeft);
        Soak.report("file-power-loss", counts);
        assertThat(garbage).isZero();
        assertThat(tempLeft).isZero();
        assertThat(hits).as("some entries survive").isPositive();
        assertThat(fates.getOrDefault(Fate.KEPT, 0L)).isLessThan(fates.values().stream()
                .mapToLong(Long::longValue).sum());
    }

    @Test
    void secretOrTagTableTornByAPowerCut_theStoreStarts_andEntriesAreMisses() throws Exception {
        Path live = temp.resolve("live");
        List<Key> keys = List.of(Key.of("posts", 1), Key.of("posts", 2), Key.of("pages", "/"));
        try (Larder larder = Larder.builder().store(DiskStore.builder(live).build()).build()) {
            for (Key key : keys) {
                larder.put(key, "written " + key.parts(), Options.tags("posts"));
            }
        }
        long tried = 0;
        long hits = 0;
        long misses = 0;
        Random random = new Random(7);
        for (String name : List.of(RootFolder.SECRET, RootFolder.TAGS)) {
            for (Fate fate : List.of(Fate.EMPTIED, Fate.TRUNCATED, Fate.CUT_IN_HEADER, Fate.ZEROED,
                    Fate.ZERO_TAIL)) {
                Path image = temp.resolve(name + fate);
                copyTree(live, image);
                apply(fate, image.resolve(name), random);
                tried++;
                try (Larder larder = Larder.builder().store(DiskStore.builder(image).build())
                        .build()) {
                    for (Key key : keys) {
                        String value = larder.get(key, String.class, Options.tags("posts"),
                                () -> "loaded");
                        if (value.equals("loaded")) {
                            misses++;
                        } else {
                            assertThat(value).as("%s %s", name, fate)
                                    .isEqualTo("written " + key.parts());
                            hits++;
                        }
                    }
                }
                byte[] secret = Files.readAllBytes(image.resolve(RootFolder.SECRET));
                assertThat(secret.length).isGreaterThanOrEqualTo(16);
                assertThat(secret).as("a zero-filled secret is not kept").isNotEqualTo(
                        new byte[secret.length]);
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("tornSecretOrTagTable", tried);
        counts.put("storesThatFailedToStart", 0L);
        counts.put("reads", hits + misses);
        counts.put("entriesKept", hits);
        counts.put("entriesDropped", misses);
        Soak.report("file-power-loss-secret-and-tags", counts);
    }

    private static void apply(Fate fate, Path file, Random random) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        switch (fate) {
            case KEPT -> { }
            case EMPTIED -> Files.write(file, new byte[0]);
            case TRUNCATED -> Files.write(file, Arrays.copyOf(bytes, cut));
            case CUT_IN_HEADER -> Files.write(file, Arrays.copyOf(bytes,
                    Math.min(bytes.length, 1 + random.nextInt(15))));
            case ZEROED -> Files.write(file, new byte[bytes.length]);
            case ZERO_TAIL -> {
                Arrays.fill(bytes, cut, bytes.length, (byte) 0);
                Files.write(file, bytes);
            }
            case FOREIGN_TAIL -> {
                byte[] other = new byte[bytes.length - cut];
                random.nextBytes(other);
                System.arraycopy(other, 0, bytes, cut, other.length);
                Files.write(file, bytes);
            }
            case LOST -> Files.delete(file);
            default -> throw new IllegalArgumentException(fate.name());
        }
    }

    /** Copies a live root file by file; files renamed or removed meanwhile are skipped. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(from)) {
            for (Path child : children) {
                Path target = to.resolve(child.getFileName().toString());
                try {
                    if (Files.isDirectory(child)) {
                        copyTree(child, target);
                    } else {
                        Files.write(target, Files.readAllBytes(child));
                    }
                } catch (NoSuchFileException e) {
                    // renamed over or removed while copying: a power cut may catch that too
                }
            }
        }
        if (Files.getFileAttributeView(to, java.nio.file.attribute.PosixFileAttributeView.class)
                != null) {
            Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions
                    .fromString(Files.isDirectory(to) ? "rwx------" : "rw-------"));
        }
    }

    /** Entry and temp files of the image (what the store wrote without forcing). */
    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
