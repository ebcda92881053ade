package io.larder.hibernate.internal;

import io.larder.Key;
import io.larder.Larder;
import io.larder.hibernate.InvalidationLog;
import io.larder.spi.ErrorLog;
import io.larder.spi.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the invalidation log to one {@link Larder}'s store, in order, and keeps in the store
 * how far it got (markers {@value #POSITION} and {@value #DATABASE}), so that a store that missed
 * invalidations (its process died after a commit, it was not attached, it was unreachable) gets
 * them before it serves again: at start, on every poll, and when the store reconnects. A store
 * that cannot catch up (its position was pruned, it belongs to another database, or it has none)
 * is invalidated as a whole. Rows that this process's own commits already applied are skipped.
 * This class schedules and serialises the work; {@link LogApplier} applies the rows.
 * One follower per {@code Larder}; not API.
 */
public final class Follower implements AutoCloseable {
    /** The store marker holding the last log id applied to the store. */
    public static final String POSITION = "larder.log.position";
    /** The store marker holding the id of the database whose log the store follows. */
    public static final String DATABASE = "larder.log.database";
    /** A tag that, recorded in the log, invalidates every entry. */
    public static final String EVERYTHING = "@all";
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    private static final Map<Larder, Follower> FOLLOWERS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final Larder larder;
    private final Store store;
    private final Connections db;
    private final LogTable table;
    private final Duration retention;
    private final ReentrantLock applying = new ReentrantLock();
    private final LocalCommits local = new LocalCommits();
    private final ScheduledExecutorService poller;
    private final ErrorLog errors = new ErrorLog(LOG, 60);
    private final LogApplier applier;
    private int users;
    private volatile long nextPrune;
    private volatile boolean closed;

    private Follower(Larder larder, Connections db, LogTable table, Duration poll,
            Duration retention) {
        this.larder = larder;
        this.store = larder.store();
        this.db = db;
        this.table = table;
        this.retention = retention;
        this.applier = new LogApplier(larder, table, local, errors);
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "larder-log-follower");
            thread.setDaemon(true);
            return thread;
        });
        store.listen(new Store.Listener() {
            @Override
            public void changed(Key key) {
            }

            @Override
            public void regionRemoved(String region) {
            }

            @Override
            public void lostTrack() {
                applier.unsync();
            }

            @Override
            public void reconnected() {
                // The store serves nothing until this returns: a failure keeps it that way.
                applier.unsync();
                try {
                    catchUp();
                } catch (SQLException | RuntimeException e) {
                    errors.report("catch the store up with the invalidation log after its"
                            + " outage", "the cache stays bypassed; tried again shortly", e);
                    throw new IllegalStateException("the store could not catch up", e);
                }
            }
        });
        long every = poll.toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The follower of {@code larder}, started (schema created if {@code createSchema}, store
     * caught up on this thread) unless it has one; each call must be paired with
     * {@link #release()}.
     */
    public static Follower attach(Larder larder, Connections db, LogTable table, Duration poll,
            Duration retention, boolean createSchema) throws SQLException {
        synchronized (FOLLOWERS) {
            Follower follower = FOLLOWERS.get(larder);
            if (follower == null) {
                if (createSchema) {
                    Connection connection = db.open();
                    try {
                        table.createSchema(connection);
                    } finally {
                        db.release(connection);
                    }
                }
                follower = new Follower(larder, db, table, poll, retention);
                try {
                    follower.catchUp();
                } catch (SQLException e) {
                    follower.close();
                    throw e;
                } catch (RuntimeException e) {
                    // The store failed (Redis down at start): the application starts anyway;
                    // a store that can fail this way serves nothing until it reconnected and
                    // this follower caught it up (Store.Listener.reconnected).
                    follower.errors.report("catch the store up with the invalidation log at"
                            + " start", "caught up when the store answers again", e);
                }
                FOLLOWERS.put(larder, follower);
            }
            follower.users++;
            return follower;
        }
    }

    /** The follower of {@code larder}, or {@code null}. */
    public static Follower of(Larder larder) {
        return FOLLOWERS.get(larder);
    }

    /** Ends one {@link #attach}; the last one stops the follower. */
    public void release() {
        synchronized (FOLLOWERS) {
            if (--users <= 0 && FOLLOWERS.get(larder) == this) {
                FOLLOWERS.remove(larder);
                close();
            }
        }
    }

    /** The log's tables. */
    public LogTable table() {
        return table;
    }

    /**
     * Records {@code tags} in the log in a transaction of its own, expected as this process's
     * (see {@link #expect}); the row's id.
     */
    public long recordNow(Collection<String> tags) throws SQLException {
        Connection connection = db.open();
        boolean autoCommit = connection.getAutoCommit();
        try {
            connection.setAutoCommit(false);
            try {
                long id = table.record(connection, tags);
                expect(id);
                connection.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } finally {
                db.release(connection);
            }
        }
    }

    /** Notes that this process recorded row {@code id} in a transaction still running. */
    public void expect(long id) {
        local.expect(id);
    }

    /**
     * The transaction of row {@code id} ended: if it committed and its tags were applied to the
     * store, the row is skipped; otherwise applied when read (a rolled-back row is never read).
     */
    public void resolved(long id, boolean committed, boolean appliedToStore) {
        local.resolved(id, committed, appliedToStore);
    }

    /** The last log id applied to the store, or -1 before the first catch-up. */
    public long position() {
        return applier.position();
    }

    /** What the follower did since it started. */
    public InvalidationLog.Stats stats() {
        return new InvalidationLog.Stats(applier.position(), applier.applied.sum(),
                applier.skipped.sum(), applier.cleared.sum());
    }

    /**
     * Applies every row committed before the call (after syncing with the store's own position
     * if needed), on this thread.
     *
     * @return the position reached: less than the last row if the store failed to apply one
     */
    public long catchUp() throws SQLException {
        applying.lock();
        try {
            Connection connection = db.open();
            boolean autoCommit = connection.getAutoCommit();
            try {
                connection.setAutoCommit(true);
                return applier.catchUp(connection);
            } finally {
                try {
                    connection.setAutoCommit(autoCommit);
                } finally {
                    db.release(connection);
                }
            }
        } finally {
            applying.unlock();
        }
    }

    private void catchUpQuietly() {
        try {
            catchUp();
        } catch (SQLException | RuntimeException e) {
            errors.report("follow the invalidation log", "retried at the next poll", e);
        }
    }

    private void poll() {
        if (closed) {
            return;
        }
        catchUpQuietly();
        long now = System.currentTimeMillis();
        if (now >= nextPrune) {
            nextPrune = now + Math.max(60_000, retention.toMillis() / 24);
            try {
                Connection connection = db.open();
                try {
                    table.prune(connection, retention, 1_000);
                } finally {
                    db.release(connection);
                }
            } catch (SQLException | RuntimeException e) {
                errors.report("prune the invalidation log", "retried later", e);
            }
        }
    }

    /** Stops polling (the store keeps its position for the next start). */
    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        local.close();
    }
}
