package io.larder.store;

import io.larder.spi.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A grant to load one key among the processes sharing a root: the lock file
 * {@code <digest>.lock} beside the entry, created atomically with the lease's expiry (epoch ms)
 * and a random token. A lock whose expiry has passed belongs to a loader that died: the next
 * process moves it aside (one rename wins) and takes the key. Closing deletes the lock file if
 * it is still this grant's.
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

    private final Path lock;
    private final byte[] content;

    private FileLease(Path lock, byte[] content) {
        this.lock = lock;
        this.content = content;
    }

    /**
     * Asks for the lock file {@code lock} until {@code expiresAt}; its folder must exist.
     *
     * @param now the current time, epoch ms, to tell an expired lock
     */
    static Store.Lease acquire(RootFolder root, Path lock, long now, long expiresAt)
            throws IOException {
        byte[] mine = ByteBuffer.allocate(LENGTH).putLong(expiresAt)
                .putLong(ThreadLocalRandom.current().nextLong()).array();
        for (int attempt = 0; attempt < 3; attempt++) {
            if (root.createAtomically(lock, mine)) {
                return new FileLease(lock, mine);
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

    /** The expiry written in a lock file; a foreign or torn one counts as expired. */
    static long expiresAt(byte[] lockContent) {
        return lockContent.length == LENGTH ? ByteBuffer.wrap(lockContent).getLong() : Long.MIN_VALUE;
    }

    @Override
    public boolean granted() {
        return true;
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
