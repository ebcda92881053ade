package io.larder.store;

import io.larder.Key;
import io.larder.spi.BadEntryException;
import io.larder.spi.EntryFormat;
import io.larder.spi.ErrorLog;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link DiskStore}'s entry files: a hit is answered by the memo of trusted files (one
 * {@code stat}, and the entry parsed from the kept bytes, its payload where it lies), else by
 * reading the file and authenticating it unless {@link VerifiedFiles} proves it unchanged since
 * it was; a bad file is deleted and counted. An entry whose bytes the memo keeps can be vouched
 * for again ({@link #holds}) with one {@code stat}. Writes replace the file atomically and keep
 * the bounds; a region's removal moves its folder to the trash. Thread-safe.
 */
final class EntryFiles {
    private final RootFolder root;
    private final Bounds bounds;
    private final VerifiedFiles verified;
    private final boolean fsync;
    private final LongAdder corruptDropped;
    private final LongAdder ioErrors;
    private final ErrorLog errors;

    EntryFiles(RootFolder root, Bounds bounds, VerifiedFiles verified, boolean fsync,
            LongAdder corruptDropped, LongAdder ioErrors, ErrorLog errors) {
        this.root = root;
        this.bounds = bounds;
        this.verified = verified;
        this.fsync = fsync;
        this.corruptDropped = corruptDropped;
        this.ioErrors = ioErrors;
        this.errors = errors;
    }

    /** The entry of {@code key}, or {@code null} if there is none or its file is bad. */
    StoredEntry get(EntryFormat format, Key key) {
        String digest = key.digest();
        Path file = root.entry(key.region(), digest);
        byte[] bytes;
        try {
            VerifiedFiles.Kept kept = verified.kept(digest, file);
            if (kept != null) {
                StoredEntry entry = format.readAuthenticated(kept.bytes());
                entry.markReadFrom(kept);
                return entry;
            }
            bytes = read(file);
        } catch (NoSuchFileException e) {
            verified.forget(digest);
            return null;
        } catch (BadEntryException e) {
            verified.forget(digest); // not expected: the kept bytes parsed when they were read
            return null;
        } catch (IOException e) {
            throw failed("read", file, e);
        }
        Object identity = verified.identify(file, bytes.length); // after the read: see its doc
        try {
            StoredEntry entry = verified.unchanged(digest, identity)
                    ? format.readAuthenticated(bytes) : format.read(digest, bytes);
            entry.markReadFrom(verified.trusted(digest, identity, System.currentTimeMillis(),
                    bytes));
            return entry;
        } catch (BadEntryException e) {
            verified.forget(digest);
            drop(key.region(), file, bytes.length, e);
            return null;
        }
    }

    /**
     * Whether {@code entry}, which {@link #get} returned for {@code key}, is what a read of the
     * key would give now: parsed from bytes the memo still keeps for the key's file, and the file
     * unchanged since they were read.
     */
    boolean holds(Key key, StoredEntry entry) {
        String digest = key.digest();
        return verified.holds(digest, root.entry(key.region(), digest), entry);
    }

    /**
     * The bytes of {@code file}, read into an array of the size the open file has (one
     * {@code fstat}), without {@code Files.readAllBytes}'s growing and its read to find the end.
     */
    static byte[] read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + " is too large for an entry: " + size + " bytes");
            }
            byte[] bytes = new byte[(int) size];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // a regular file reads whole at once; a shorter read goes on, an end stops
            }
            return buffer.hasRemaining() ? Arrays.copyOf(bytes, buffer.position()) : bytes;
        }
    }

    private void drop(String region, Path file, long size, BadEntryException why) {
        corruptDropped.increment();
        errors.report("DiskStore read of " + region + " (bad file deleted)", why);
        try {
            if (Files.deleteIfExists(file)) {
                bounds.removed(region, size);
            }
        } catch (IOException e) {
            ioErrors.increment();
        }
    }

    /** Writes {@code entry} over the file of {@code key}, then evicts if over a bound. */
    void put(EntryFormat format, Key key, StoredEntry entry) {
        String digest = key.digest();
        byte[] bytes = format.write(digest, entry);
        Path file = root.entry(key.region(), digest);
        verified.forget(digest);
        try {
            long old = root.replace(file, bytes, fsync);
            bounds.written(key.region(), old, bytes.length);
        } catch (IOException e) {
            throw failed("write", file, e);
        }
        try {
            bounds.enforce(digest.substring(0, 2));
        } catch (IOException e) {
            ioErrors.increment();
            errors.report("DiskStore eviction in " + root.root(), e);
        }
    }

    /** Deletes the file of {@code key}, if any. */
    void remove(Key key) {
        Path file = root.entry(key.region(), key.digest());
        verified.forget(key.digest());
        try {
            long size = RootFolder.sizeOf(file);
            if (size >= 0 && Files.deleteIfExists(file)) {
                bounds.removed(key.region(), size);
            }
        } catch (IOException e) {
            throw failed("delete", file, e);
        }
    }

    /** Moves the folder of {@code region} into the trash at once (the sweeper empties it). */
    void removeRegion(String region) {
        Path folder = root.region(Key.checkRegion(region));
        verified.forgetAll();
        Path trash = root.root().resolve(RootFolder.TRASH);
        try {
            root.ensureFolder(trash);
            Files.move(folder, trash.resolve(region + "." + RootFolder.uniqueSuffix()),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // nothing stored in it
        } catch (IOException e) {
            throw failed("remove region", folder, e);
        } finally {
            root.forgetFolders(folder);
        }
        bounds.regionRemoved(region);
    }

    /** Counts an I/O error and wraps it, naming what failed on which file. */
    UncheckedIOException failed(String what, Path file, IOException e) {
        ioErrors.increment();
        return new UncheckedIOException("DiskStore cannot " + what + " " + file, e);
    }
}
