package io.larder.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The large entry files this store has authenticated and that have not changed since, so that a
 * hit reads such a file without computing its checksum and HMAC again (on 64 KB, the HMAC costs
 * as much as the read).
 *
 * <p>A file counts as unchanged while the device, inode, size and status-change time (ctime)
 * read right after its bytes are those read right after the bytes that were authenticated. Every
 * write, truncation, rename or attribute change sets a file's ctime to the kernel's clock, and no
 * process can set it back (unlike the modification time); a file replaced by another has another
 * inode. The kernel keeps ctime in coarse ticks (a few ms), so a change made within the tick of the
 * previous one could keep it: a file is therefore trusted only if its ctime was at least
 * {@code settle} old when it was authenticated. Any later change then happens after that, in a
 * later tick, and moves the ctime. Where the file system offers no ctime ({@code unix} view),
 * every read authenticates.
 *
 * <p>Small files are always authenticated: their HMAC costs less than reading the attributes.
 * The memo is bounded; emptying it only means authenticating again. Thread-safe.
 */
final class VerifiedFiles {
    /** Files below this size are always authenticated. */
    static final int MIN_BYTES = 4 * 1024;
    private static final int BOUND = 65_536;
    private static final String ATTRIBUTES = "unix:dev,ino,size,ctime";

    private record Identity(Object device, Object inode, long size, long ctimeNanos) { }

    private final long settleMillis;
    private final ConcurrentHashMap<String, Identity> verified = new ConcurrentHashMap<>();
    private final LongAdder trustedReads = new LongAdder();
    private volatile boolean supported = true;

    VerifiedFiles(Duration settle) {
        this.settleMillis = settle.toMillis();
    }

    /**
     * The identity of {@code file} now, to be read right after its bytes, or {@code null} when the
     * file is small, gone or its file system cannot tell.
     */
    Object identify(Path file, int bytesRead) {
        if (bytesRead < MIN_BYTES || !supported) {
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
     * Records that the bytes read before {@code identity} were authenticated, if the file's
     * ctime had settled by {@code nowMillis} (the wall clock, as the kernel's ctime).
     */
    void authenticated(String digest, Object identity, long nowMillis) {
        if (!(identity instanceof Identity id)
                || id.ctimeNanos() > TimeUnit.MILLISECONDS.toNanos(nowMillis - settleMillis)) {
            return;
        }
        if (verified.size() >= BOUND) {
            verified.clear();
        }
        verified.put(digest, id);
    }

    /** Forgets a file this store rewrote or deleted. */
    void forget(String digest) {
        verified.remove(digest);
    }

    /** Forgets every file (a region or the whole store removed). */
    void forgetAll() {
        verified.clear();
    }

    /** Reads that skipped authentication, since the store opened. */
    long trustedReads() {
        return trustedReads.sum();
    }
}
