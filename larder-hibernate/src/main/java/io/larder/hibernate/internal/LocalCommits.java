package io.larder.hibernate.internal;

import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The log rows that this process's own transactions recorded, so that the follower skips those
 * whose after-commit invalidation already reached the store: pending while the transaction runs,
 * then applied, or forgotten (rolled back, or its invalidation failed: the follower applies it).
 * Thread-safe.
 */
final class LocalCommits {
    private static final int MAX = 100_000;
    private static final long WAIT_MILLIS = 10_000;
    private final ConcurrentNavigableMap<Long, Boolean> rows = new ConcurrentSkipListMap<>();
    private volatile boolean closed;

    /** Row {@code id} was recorded by a transaction still running. */
    void expect(long id) {
        if (rows.size() < MAX) {
            rows.put(id, Boolean.FALSE); // beyond MAX the follower applies it again: harmless
        }
    }

    /** Row {@code id}'s transaction ended; {@code applied} if its invalidation reached the store. */
    void resolved(long id, boolean committed, boolean applied) {
        if (committed && applied) {
            rows.replace(id, Boolean.FALSE, Boolean.TRUE);
        } else {
            rows.remove(id, Boolean.FALSE);
        }
        synchronized (rows) {
            rows.notifyAll();
        }
    }

    /**
     * Whether row {@code id} (visible, so committed) was applied by this process's commit; waits
     * while that commit's completion is still under way, at most 10 s (then: no, apply it again).
     */
    boolean applied(long id) {
        Boolean state = rows.get(id);
        if (!Boolean.FALSE.equals(state)) {
            return Boolean.TRUE.equals(state);
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        synchronized (rows) {
            while (Boolean.FALSE.equals(state = rows.get(id)) && !closed) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                try {
                    rows.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return Boolean.TRUE.equals(state);
    }

    /** Forgets rows up to {@code id}: the store has them. */
    void forgetThrough(long id) {
        rows.headMap(id, true).clear();
    }

    /** Stops waiting. */
    void close() {
        closed = true;
        synchronized (rows) {
            rows.notifyAll();
        }
    }
}
