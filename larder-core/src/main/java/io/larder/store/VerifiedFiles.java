package io.larder.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The entry files this store has authenticated and that have not changed since, so that a hit
 * on such a file skips its checksum and HMAC (on 64 KB, the HMAC costs as much as the read), and,
 * for the files whose entries the memo holds, skips the read too: one {@code stat} answers it.
 *
 * <p>A file counts as unchanged while its device, inode, size and status-change time (ctime) are
 * those read right after the bytes that were authenticated. Every write, truncation, rename or
 * attribute change sets a file's ctime to the kernel's clock, and no process can set it back
 * (unlike the modification time); a file replaced by another has another inode. The kernel keeps
 * ctime in coarse ticks (a few ms), so a change made within the tick of the previous one could
 * keep it: a file is therefore trusted only if its ctime was at least {@code settle} old when it
 * was authenticated. Any later change then happens after that, in a later tick, and moves the
 * ctime. Where the file system offers no ctime ({@code unix} view), every read authenticates.
 *
 * <p>The memo keeps, for trusted files, the bytes read from them (never a decoded value: each hit
 * parses and decodes its own), bounded by the sum of their sizes ({@code memoBytes}, evicted by
 * Caffeine's size policy); a hit on the memo is a {@code stat} whose identity must equal the one
 * recorded, so it serves exactly the bytes the file holds, as a trusted read would. Without the
 * memo, small files (below {@link #MIN_BYTES}) are always authenticated: their HMAC costs less
 * than the {@code stat}. The identity table is bounded too; emptying either only means reading
 * or authenticating again.
 *
 * <p>An entry parsed from kept bytes is {@linkplain StoredEntry#markReadFrom marked} with the
 * record that keeps them, so that {@link #holds} can vouch for it later with the memo hit's one
 * {@code stat} and nothing else: the memo still keeps that record (this store forgets it when it
 * rewrites or deletes the file) and the file still has its identity. Thread-safe.
 */
final class VerifiedFiles {
    /** Files below this size are authenticated on every read that the memo does not answer. */
    static final int MIN_BYTES = 4 * 1024;
    private static final int BOUND = 65_536;
    private static final String ATTRIBUTES = "unix:dev,ino,size,ctime";

    private record Identity(Object device, Object inode, long size, long ctimeNanos) { }

    /** A trusted file's bytes; entries parsed from them are marked with it. */
    record Kept(Identity identity, byte[] bytes) { }

    private final long settleMillis;
    private final long memoBytes;
    private final ConcurrentHashMap<String, Identity> verified = new ConcurrentHashMap<>();
    private final Cache<String, Kept> memo;
    private final LongAdder trustedReads = new LongAdder();
    private final LongAdder memoHits = new LongAdder();
    private volatile boolean supported = true;

    /** Trusts files whose ctime is {@code settle} old; keeps up to {@code memoBytes} of entries. */
    VerifiedFiles(Duration settle, long memoBytes) {
        this.settleMillis = settle.toMillis();
        this.memoBytes = memoBytes;
        this.memo = memoBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(memoBytes)
                .weigher((String digest, Kept kept) -> kept.bytes().length)
                .executor(Runnable::run) // evict on the calling thread: the bound holds at once
                .build();
    }

    /**
     * The bytes kept for {@code file} if the file is still the one they were read from (as
     * authentic as a trusted read's: parse them with {@code EntryFormat.readAuthenticated},
     * {@linkplain StoredEntry#markReadFrom mark} the entry with them and never change them);
     * {@code null} when the memo has none or the file changed (read it then).
     *
     * @throws NoSuchFileException if the file is gone
     */
    Kept kept(String digest, Path file) throws NoSuchFileException {
        Kept kept = memo == null ? null : memo.getIfPresent(digest);
        if (kept == null || !current(digest, file, kept)) {
            return null;
        }
        memoHits.increment();
        trustedReads.increment();
        return kept;
    }

    /**
     * Whether {@code entry} was parsed from the bytes the memo keeps for {@code file} and the
     * file is still the one they were read from, so that a read would give the same entry: at
     * most one {@code stat}; {@code false} when the memo no longer keeps them.
     */
    boolean holds(String digest, Path file, StoredEntry entry) {
        Kept kept = memo == null ? null : memo.getIfPresent(digest);
        try {
            return kept != null && entry.readFrom(kept) && current(digest, file, kept);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Whether {@code file} still has the identity of {@code kept}; if not, drops it. */
    private boolean current(String digest, Path file, Kept kept) throws NoSuchFileException {
        Identity now;
        try {
            now = stat(file);
        } catch (NoSuchFileException e) {
            memo.asMap().remove(digest, kept);
            throw e;
        }
        if (!kept.identity().equals(now)) {
            memo.asMap().remove(digest, kept);
            return false;
        }
        return true;
    }

    /**
     * The identity of {@code file} now, to be read right after its bytes, or {@code null} when
     * nothing would be trusted of it (small without a memo, gone, or its file system cannot tell).
     */
    Object identify(Path file, int bytesRead) {
        if ((bytesRead < MIN_BYTES && memo == null) || !supported) {
            return null;
        }
        try {
            return stat(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The identity of {@code file}, or {@code null} if its file system cannot tell. */
    private Identity stat(Path file) throws NoSuchFileException {
        if (!supported) {
            return null;
        }
        try {
            Map<String, Object> a = Files.readAttributes(file, ATTRIBUTES);
            FileTime ctime = (FileTime) a.get("ctime");
            return new Identity(a.get("dev"), a.get("ino"), (Long) a.get("size"),
                    ctime.to(TimeUnit.NANOSECONDS));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            supported = false; // no unix view here: authenticate every read
            return null;
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the bytes read before {@code identity} are those authenticated for this file. */
    boolean unchanged(String digest, Object identity) {
        if (identity != null && identity.equals(verified.get(digest))) {
            trustedReads.increment();
            return true;
        }
        return false;
    }

    /**
     * Records that {@code bytes}, read before {@code identity}, were authenticated (or read while
     * {@linkplain #unchanged unchanged}), if the file's ctime had settled by {@code nowMillis}
     * (the wall clock, as the kernel's ctime).
     *
     * @return the record the memo now keeps the bytes in, to mark the entry parsed from them
     *     with, or {@code null} if it keeps none
     */
    Kept trusted(String digest, Object identity, long nowMillis, byte[] bytes) {
        if (!(identity instanceof Identity id)
                || id.ctimeNanos() > TimeUnit.MILLISECONDS.toNanos(nowMillis - settleMillis)) {
            return null;
        }
        if (bytes.length >= MIN_BYTES) {
            if (verified.size() >= BOUND) {
                verified.clear();
            }
            verified.put(digest, id);
        }
        if (memo == null || bytes.length > memoBytes) {
            return null;
        }
        Kept kept = new Kept(id, bytes);
        memo.put(digest, kept);
        return kept;
    }

    /** Forgets a file this store rewrote or deleted. */
    void forget(String digest) {
        verified.remove(digest);
        if (memo != null) {
            memo.invalidate(digest);
        }
    }

    /** Forgets every file (a region or the whole store removed). */
    void forgetAll() {
        verified.clear();
        if (memo != null) {
            memo.invalidateAll();
        }
    }

    /** Reads that skipped authentication (from the memo or not), since the store opened. */
    long trustedReads() {
        return trustedReads.sum();
    }

    /** Reads the memo answered with a {@code stat}, since the store opened. */
    long memoHits() {
        return memoHits.sum();
    }
}
