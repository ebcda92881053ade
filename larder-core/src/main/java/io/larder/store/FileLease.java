package io.larder.store;

import io.larder.spi.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * A grant to load one key among the processes sharing a root: the lock file
 * {@code <digest>.lock} beside the entry, created atomically with the lease's expiry (epoch ms)
 * and a random token. A lock whose expiry has passed belongs to a loader that died: the next
 * process moves it aside (one rename wins) and takes the key. Renewing replaces the lock file
 * with one of a later expiry and the same token (an atomic rename), if it is still this grant's.
 * Closing deletes the lock file if it is still this grant's.
 */
final class FileLease implements Store.Lease {
    /** The answer when another process holds the key. */
    static final Store.Lease NOT_GRANTED = new Store.Lease() {
        @Override
        public boolean granted() {
            return false;
        }

        @Override
        public void close() {
        }
    };
    private static final int LENGTH = 16;

    private final RootFolder root;
    private final Path lock;
    private final LongSupplier clock;
    private volatile byte[] content;

    private FileLease(RootFolder root, Path lock, LongSupplier clock, byte[] content) {
        this.root = root;
        this.lock = lock;
        this.clock = clock;
        this.content = content;
    }

    /**
     * Asks for the lock file {@code lock} for {@code lease} millis, making its folder (again, if
     * a region's removal took it away meanwhile).
     *
     * @param clock the current time, epoch ms, to tell an expired lock and to renew
     */
    static Store.Lease acquireInFolder(RootFolder root, Path lock, LongSupplier clock, long lease)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                root.ensureFolder(lock.getParent());
                return acquire(root, lock, clock, lease);
            } catch (NoSuchFileException e) {
                root.forgetFolders(lock.getParent());
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    /**
     * Asks for the lock file {@code lock} for {@code lease} millis; its folder must exist.
     *
     * @param clock the current time, epoch ms, to tell an expired lock and to renew
     */
    static Store.Lease acquire(RootFolder root, Path lock, LongSupplier clock, long lease)
            throws IOException {
        long now = clock.getAsLong();
        byte[] mine = content(expiry(now, lease), ThreadLocalRandom.current().nextLong());
        for (int attempt = 0; attempt < 3; attempt++) {
            if (root.createAtomically(lock, mine)) {
                return new FileLease(root, lock, clock, mine);
            }
            byte[] held;
            try {
                held = Files.readAllBytes(lock);
            } catch (NoSuchFileException e) {
                continue; // released meanwhile
            }
            if (expiresAt(held) > now) {
                return NOT_GRANTED;
            }
            Path aside = RootFolder.tempBeside(lock);
            try {
                Files.move(lock, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                continue; // released, or another process took it over first
            }
            Files.deleteIfExists(aside);
        }
        return NOT_GRANTED;
    }

    private static long expiry(long now, long lease) {
        return now + Math.min(lease, Long.MAX_VALUE - now);
    }

    private static byte[] content(long expiresAt, long token) {
        return ByteBuffer.allocate(LENGTH).putLong(expiresAt).putLong(token).array();
    }

    /** The expiry written in a lock file; a foreign or torn one counts as expired. */
    static long expiresAt(byte[] lockContent) {
        return lockContent.length == LENGTH ? ByteBuffer.wrap(lockContent).getLong()
                : Long.MIN_VALUE;
    }

    @Override
    public boolean granted() {
        return true;
    }

    @Override
    public boolean renew(Duration lease) {
        byte[] held = content;
        byte[] renewed = content(expiry(clock.getAsLong(), lease.toMillis()),
                ByteBuffer.wrap(held).getLong(Long.BYTES));
        try {
            if (!Arrays.equals(Files.readAllBytes(lock), held)) {
                return false; // expired and taken over: the new holder's now
            }
            root.replaceAtomically(lock, renewed);
            content = renewed;
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("could not renew the lease " + lock, e);
        }
    }

    @Override
    public void close() {
        try {
            if (Arrays.equals(Files.readAllBytes(lock), content)) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException e) {
            // Gone already, or unreadable: the lease expires on its own; the sweeper removes it.
        }
    }
}
