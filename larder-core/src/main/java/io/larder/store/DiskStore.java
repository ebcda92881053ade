package io.larder.store;

import io.larder.Key;
import io.larder.spi.ErrorLog;
import io.larder.spi.EntryFormat;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Entries as files under one root folder, shared safely by every JVM on the host and kept across
 * restarts: {@code <root>/<region>/<2 hex>/<key digest>}, each in {@link EntryFormat} (checksum,
 * and an HMAC bound to the key, checked before anything is decoded). Writes go to a temp file
 * that is atomically moved over the entry, so readers see the old entry or the new one; any bad
 * file reads as a miss and is deleted. Tag generations live in a memory-mapped table that all
 * processes share; a lock file per key gives cross-process single-flight; bounds on entries and
 * bytes are kept by sampled eviction; a background sweep deletes expired entries and orphans.
 * Markers are small files {@code <root>/.marker.<name>}, replaced atomically. A file authenticated
 * once is served again without its HMAC while its inode, size and ctime show it unchanged
 * ({@link VerifiedFiles}): from a memo of its entry's bytes, bounded by {@link Builder#memoBytes},
 * with one {@code stat} and no read; else, for files of 4 KB or more, by a read. An entry read
 * from the memo is vouched for again by {@link #holds} with that one {@code stat} alone.
 *
 * <pre>{@code
 * Larder larder = Larder.builder()
 *         .store(DiskStore.builder(Path.of("/var/cache/blog")).maximumBytes(512L << 20).build())
 *         .build();
 * }</pre>
 *
 * <p>I/O failures (disk full, read-only or unreadable folders) are counted and thrown as
 * {@link UncheckedIOException}, which the {@code Larder} turns into misses. Thread-safe.
 */
public final class DiskStore implements Store {
    /**
     * What the store did since it was opened, in this JVM.
     *
     * @param entries entries on disk (as of the last sweep, moved by this JVM's writes since)
     * @param bytes bytes of entry files, counted likewise
     * @param evictions entries deleted to stay within the bounds
     * @param corruptDropped damaged, foreign or unauthentic files found and deleted
     * @param expiredSwept entries deleted by the sweeper because they could no longer be served
     * @param ioErrors reads, writes and sweeps that failed on an I/O error
     */
    public record Stats(long entries, long bytes, long evictions, long corruptDropped,
            long expiredSwept, long ioErrors) { }

    private final RootFolder root;
    private final TagTable tags;
    private final Bounds bounds;
    private final Sweeper sweeper;
    private final Duration sweepInterval;
    private final boolean sweepInBackground;
    private final VerifiedFiles verified;
    private final EntryFiles files;
    private final LongAdder corruptDropped = new LongAdder();
    private final LongAdder expiredSwept = new LongAdder();
    private final LongAdder ioErrors = new LongAdder();
    private volatile InstantSource clock = InstantSource.system();
    private volatile EntryFormat format;

    private DiskStore(Builder builder) {
        this.root = RootFolder.open(builder.root);
        this.tags = TagTable.open(root, builder.tagSlots, builder.boot);
        this.sweepInterval = builder.sweepInterval;
        this.sweepInBackground = builder.sweepInBackground;
        this.verified = new VerifiedFiles(builder.trustSettle, builder.memoBytes);
        this.bounds = new Bounds(root, builder.maximumEntries, builder.maximumBytes);
        this.files = new EntryFiles(root, bounds, verified, builder.fsync, corruptDropped,
                ioErrors, new ErrorLog(LoggerFactory.getLogger(DiskStore.class), 60));
        this.sweeper = new Sweeper(root, bounds, () -> clock.millis(), expiredSwept,
                corruptDropped, ioErrors);
        if (tags.created()) {
            // Entries left beside a lost tag table recorded generations that mean nothing now.
            try {
                sweeper.sweep(Long.MAX_VALUE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear the entries of " + root.root(), e);
            }
        }
    }

    /** A builder for a store in {@code root} (created owner-only if absent). */
    public static Builder builder(Path root) {
        return new Builder(Objects.requireNonNull(root, "root"));
    }

    /**
     * Takes the clock and the HMAC secret; without a secret from the {@code Larder}, the one kept
     * in {@code <root>/.secret} is used, generated once by the first process. Starts the sweeper.
     */
    @Override
    public void bind(StoreContext context) {
        this.clock = context.clock();
        this.format = new EntryFormat(context.secret().orElseGet(root::secret));
        if (sweepInBackground) {
            sweeper.start(sweepInterval);
        }
    }

    private EntryFormat format() {
        EntryFormat f = format;
        if (f == null) {
            synchronized (this) {
                if (format == null) {
                    bind(new StoreContext(InstantSource.system(), Optional.empty()));
                }
                f = format;
            }
        }
        return f;
    }

    @Override
    public StoredEntry get(Key key) {
        return files.get(format(), key);
    }

    /**
     * Whether {@code entry}, which {@link #get} returned for {@code key}, is what a read would
     * return now: it was parsed from bytes the memo still keeps (this store forgets them when it
     * writes or deletes the key), and the key's file still has the device, inode, size and ctime
     * it had when they were read, which no change by any process keeps. Costs the memo hit's one
     * {@code stat}, no read, parse or HMAC; {@code false} for entries the memo does not keep
     * (larger than {@link Builder#memoBytes}, or read before their file had settled).
     */
    @Override
    public boolean holds(Key key, StoredEntry entry) {
        return files.holds(key, entry);
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        files.put(format(), key, entry);
    }

    @Override
    public void remove(Key key) {
        files.remove(key);
    }

    /** Moves the region's folder aside at once and deletes it in the background. */
    @Override
    public void removeRegion(String region) {
        files.removeRegion(region);
        sweeper.emptyTrashSoon();
    }

    @Override
    public long[] generations(List<String> tagNames) {
        return tags.generations(tagNames);
    }

    @Override
    public boolean current(StoredEntry entry) {
        return tags.current(entry);
    }

    @Override
    public void invalidateTags(Collection<String> tagNames) {
        tags.invalidate(tagNames);
    }

    /** Moves every slot of the shared tag table forward by a random amount. */
    @Override
    public void invalidateAll() {
        tags.reseed();
    }

    @Override
    public OptionalLong marker(String name) {
        try {
            return root.readMarker(Store.checkMarker(name));
        } catch (IOException e) {
            throw files.failed("read marker", root.root(), e);
        }
    }

    @Override
    public void marker(String name, long value) {
        try {
            root.writeMarker(Store.checkMarker(name), value);
        } catch (IOException e) {
            throw files.failed("write marker", root.root(), e);
        }
    }

    /** A lock file beside the entry; see {@link Store#lease(Key, Duration)}. */
    @Override
    public Lease lease(Key key, Duration lease) {
        Path lock = root.lock(key.region(), key.digest());
        try {
            return FileLease.acquireInFolder(root, lock, () -> clock.millis(), lease.toMillis());
        } catch (IOException e) {
            throw files.failed("lock", lock, e);
        }
    }

    @Override
    public Usage usage(String region) {
        return bounds.usage(region);
    }

    /** What the store did since it was opened, in this JVM. */
    public Stats stats() {
        return new Stats(bounds.entries(), bounds.bytes(), bounds.evictions(),
                corruptDropped.sum(), expiredSwept.sum(), ioErrors.sum());
    }

    /** The root folder. */
    public Path root() {
        return root.root();
    }

    /** Runs one sweep now, on this thread (tests call it instead of waiting for the interval). */
    void sweepNow() throws IOException {
        sweeper.sweep(clock.millis());
    }

    Bounds bounds() {
        return bounds;
    }

    TagTable tagTable() {
        return tags;
    }

    /** Reads whose file's unchanged identity spared the HMAC ({@link VerifiedFiles}). */
    long trustedReads() {
        return verified.trustedReads();
    }

    /** Reads that the memo answered without reading the file ({@link VerifiedFiles}). */
    long memoHits() {
        return verified.memoHits();
    }

    /** Removes every region's folder, as {@link #removeRegion} does for one. */
    @Override
    public void clear() {
        try {
            root.regions().forEach(this::removeRegion);
        } catch (IOException e) {
            throw files.failed("clear", root.root(), e);
        }
    }

    /** Stops the sweeper. Entries stay on disk for the next process. */
    @Override
    public void close() {
        sweeper.close();
    }

    /** Builds a {@link DiskStore}; bad values fail here, naming the value. */
    public static final class Builder {
        private final Path root;
        private long maximumEntries = 100_000;
        private long maximumBytes = 1L << 30;
        private boolean fsync;
        private Duration sweepInterval = Duration.ofMinutes(5);
        private int tagSlots = 1 << 16;
        private boolean sweepInBackground = true;
        private Duration trustSettle = Duration.ofSeconds(2);
        private long memoBytes = 16L << 20;
        private Supplier<String> boot = TagTable::bootId;

        private Builder(Path root) {
            this.root = root;
        }

        /** At most this many entries (default 100,000); older entries are evicted by sampling. */
        public Builder maximumEntries(long entries) {
            if (entries <= 0) {
                throw new IllegalArgumentException(
                        "maximumEntries must be positive, was " + entries);
            }
            this.maximumEntries = entries;
            return this;
        }

        /** At most this many bytes of entry files (default 1 GiB). */
        public Builder maximumBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximumBytes must be positive, was " + bytes);
            }
            this.maximumBytes = bytes;
            return this;
        }

        /**
         * Heap for the entries of files read recently (default 16 MiB, counted as their files'
         * sizes; 0 for none): a hit on a file that has not changed since it was authenticated is
         * then answered with one {@code stat} instead of a read. Only the stored bytes are kept;
         * each hit decodes its own value.
         */
        public Builder memoBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memoBytes must not be negative, was " + bytes);
            }
            this.memoBytes = bytes;
            return this;
        }

        /**
         * Whether each write is forced to the disk (file and folder) before it counts; default
         * off: a cache needs atomic writes and detection of damage, which it has either way.
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * How often expired entries and orphaned files are swept and usage recounted;
         * default 5 min.
         */
        public Builder sweepInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException(
                        "sweepInterval must be positive, was " + interval);
            }
            this.sweepInterval = interval;
            return this;
        }

        /**
         * Slots of the shared tag table when this store creates it (default 65,536; 8 bytes each);
         * tags that share a slot invalidate each other. A table that exists keeps its size.
         */
        public Builder tagSlots(int slots) {
            if (slots < 1 || slots > 1 << 24) {
                throw new IllegalArgumentException("tagSlots must be 1 to 16777216, was " + slots);
            }
            this.tagSlots = slots;
            return this;
        }

        /** Tests pretend the host rebooted (the tag table's increments may be lost). */
        Builder boot(Supplier<String> boot) {
            this.boot = boot;
            return this;
        }

        /** Tests turn the background sweep off to count exactly; they call {@code sweepNow()}. */
        Builder sweepInBackground(boolean sweep) {
            this.sweepInBackground = sweep;
            return this;
        }

        /** Tests shorten how old a file's ctime must be before its identity is trusted. */
        Builder trustSettle(Duration settle) {
            this.trustSettle = settle;
            return this;
        }

        /**
         * The store.
         *
         * @throws IllegalStateException if the root can be written by other users
         * @throws UncheckedIOException if the root cannot be created or read
         */
        public DiskStore build() {
            return new DiskStore(this);
        }
    }
}
