package io.larder.store;

import io.larder.spi.ErrorLog;
import io.larder.spi.EntryFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * The file store's background walk, at start and then at a fixed interval: deletes entries no
 * longer usable (read from the first bytes of each file, not the whole file), temp files left by
 * writers that died, expired lock files, and removed regions; and recounts entries and bytes for
 * the {@link Bounds}. Only files named as the store names them are ever deleted.
 */
final class Sweeper implements AutoCloseable {
    /** A temp file this old (by the file system's clock) belongs to a writer that died. */
    static final long ORPHAN_AGE_MILLIS = TimeUnit.MINUTES.toMillis(1);

    private final RootFolder root;
    private final Bounds bounds;
    private final LongSupplier clock;
    private final LongAdder expired;
    private final LongAdder corrupt;
    private final LongAdder ioErrors;
    private final ErrorLog errors = new ErrorLog(LoggerFactory.getLogger(DiskStore.class), 60);
    private final Object walking = new Object();
    private ScheduledExecutorService executor;

    Sweeper(RootFolder root, Bounds bounds, LongSupplier clock, LongAdder expired,
            LongAdder corrupt, LongAdder ioErrors) {
        this.root = root;
        this.bounds = bounds;
        this.clock = clock;
        this.expired = expired;
        this.corrupt = corrupt;
        this.ioErrors = ioErrors;
    }

    /** Sweeps now, in the background, and then every {@code interval}. */
    synchronized void start(Duration interval) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "larder-file-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweepQuietly, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Deletes removed regions soon, in the background (or at the next sweep if not started). */
    synchronized void emptyTrashSoon() {
        if (executor != null) {
            try {
                executor.execute(() -> {
                    try {
                        emptyTrash();
                    } catch (IOException | RuntimeException e) {
                        failed("empty removed regions", e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep(clock.getAsLong());
        } catch (IOException | RuntimeException e) {
            failed("sweep", e);
        }
    }

    private void failed(String what, Exception e) {
        ioErrors.increment();
        errors.report("DiskStore " + what + " in " + root.root(), e);
    }

    /** One walk: deletes entries usable until before {@code before}, orphans, and recounts. */
    void sweep(long before) throws IOException {
        synchronized (walking) {
            walk(before);
        }
    }

    private void walk(long before) throws IOException {
        emptyTrash();
        long fileSystemNow = System.currentTimeMillis();
        Map<String, long[]> counted = new HashMap<>();
        try (DirectoryStream<Path> regions = Files.newDirectoryStream(root.root())) {
            for (Path region : regions) {
                String name = region.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(region, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long[] count = new long[2];
                try (DirectoryStream<Path> folders = Files.newDirectoryStream(region)) {
                    for (Path folder : folders) {
                        if (folder.getFileName().toString().length() == 2
                                && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                            sweepFolder(folder, before, fileSystemNow, count);
                        }
                    }
                } catch (NoSuchFileException e) {
                    continue; // removed meanwhile
                }
                counted.put(name, count);
            }
        }
        bounds.recounted(counted);
    }

    private void sweepFolder(Path folder, long before, long fileSystemNow, long[] count)
            throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    if (RootFolder.isEntryName(name)) {
                        sweepEntry(file, before, count);
                    } else if (name.endsWith(RootFolder.TEMP_SUFFIX)) {
                        long modified = Files.getLastModifiedTime(file).toMillis();
                        if (fileSystemNow - modified > ORPHAN_AGE_MILLIS) {
                            Files.deleteIfExists(file);
                        }
                    } else if (name.endsWith(RootFolder.LOCK_SUFFIX)) {
                        if (FileLease.expiresAt(Files.readAllBytes(file)) <= clock.getAsLong()) {
                            Files.deleteIfExists(file);
                        }
                    }
                } catch (NoSuchFileException e) {
                    // replaced or removed meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            // removed meanwhile
        }
    }

    private void sweepEntry(Path file, long before, long[] count) throws IOException {
        byte[] head = new byte[EntryFormat.PEEK_LENGTH];
        long size;
        int read = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(head);
            int n;
            while (buffer.hasRemaining() && (n = channel.read(buffer)) > 0) {
                read += n;
            }
        }
        long usableUntil = EntryFormat.peekUsableUntil(head, read);
        if (usableUntil == Long.MIN_VALUE) {
            if (Files.deleteIfExists(file)) {
                corrupt.increment();
            }
        } else if (usableUntil <= before) {
            if (Files.deleteIfExists(file)) {
                expired.increment();
            }
        } else {
            count[0]++;
            count[1] += size;
        }
    }

    /** Deletes what {@code removeRegion} moved into {@code <root>/.trash}. */
    void emptyTrash() throws IOException {
        Path trash = root.root().resolve(RootFolder.TRASH);
        if (!Files.isDirectory(trash, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(trash, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                    throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // deleted by another process meanwhile
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (!dir.equals(trash)) {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (DirectoryNotEmptyException raced) {
                        // a late writer added a file: the next sweep takes it
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
