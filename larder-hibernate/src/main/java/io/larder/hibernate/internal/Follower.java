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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
    private static final int BATCH_ROWS = 500;
    private static final int BATCH_TAGS = 1_000;
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
    private final LongAdder applied = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder cleared = new LongAdder();
    private int users;
    private long database;
    private volatile long position = -1;
    private volatile boolean synced;
    private volatile long nextPrune;
    private volatile boolean closed;

    private Follower(Larder larder, Connections db, LogTable table, Duration poll,
            Duration retention) {
        this.larder = larder;
        this.store = larder.store();
        this.db = db;
        this.table = table;
        this.retention = retention;
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
                synced = false;
            }

            @Override
            public void reconnected() {
                // The store serves nothing until this returns: a failure keeps it that way.
                synced = false;
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
        return position;
    }

    /** What the follower did since it started. */
    public InvalidationLog.Stats stats() {
        return new InvalidationLog.Stats(position, applied.sum(), skipped.sum(), cleared.sum());
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
                if (!synced) {
                    sync(connection);
                }
                applyNew(connection);
                return position;
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

    /** Takes the store's own position, or invalidates the store if it cannot catch up. */
    private void sync(Connection connection) throws SQLException {
        LogTable.State state = table.state(connection);
        long head = table.head(connection, state);
        OptionalLong storeDatabase = store.marker(DATABASE);
        OptionalLong storePosition = store.marker(POSITION);
        String why = null;
        if (storeDatabase.isEmpty() || storePosition.isEmpty()) {
            why = "it holds no position in this database's invalidation log";
        } else if (storeDatabase.getAsLong() != state.database()) {
            why = "it was last used with another database";
        } else if (storePosition.getAsLong() < state.pruned()) {
            why = "the log was pruned past its position";
        } else if (storePosition.getAsLong() > head) {
            why = "it is ahead of the log (was the database restored from a backup?)";
        }
        database = state.database();
        if (why != null) {
            invalidateStore(why, head);
        } else {
            position = storePosition.getAsLong();
        }
        synced = true;
    }

    private void invalidateStore(String why, long head) {
        LOG.info("Larder: every entry of {} is invalidated: {}", store.getClass().getSimpleName(),
                why);
        store.invalidateAll();
        cleared.increment();
        store.marker(POSITION, head);
        store.marker(DATABASE, database);
        position = head;
        local.forgetThrough(head);
    }

    private void applyNew(Connection connection) throws SQLException {
        while (true) {
            List<LogTable.Row> rows = table.rowsAfter(connection, position, BATCH_ROWS);
            LogTable.State state = table.state(connection);
            if (state.database() != database) {
                sync(connection); // another database now: the store's marker names the old one
                continue;
            }
            if (state.pruned() > position) {
                invalidateStore("the log was pruned past its position",
                        table.head(connection, state));
                continue;
            }
            if (rows.isEmpty()) {
                return;
            }
            long reached = apply(rows);
            if (reached > position) {
                position = reached;
                local.forgetThrough(reached);
                try {
                    store.marker(POSITION, reached);
                } catch (RuntimeException e) {
                    errors.report("record the log position in the store", "written again later",
                            e);
                }
            }
            if (reached < rows.get(rows.size() - 1).id() || rows.size() < BATCH_ROWS) {
                return;
            }
        }
    }

    /** Applies {@code rows} in order; the last id whose row and all before it were applied. */
    private long apply(List<LogTable.Row> rows) {
        long reached = position;
        long end = position;
        Set<String> batch = new LinkedHashSet<>();
        for (LogTable.Row row : rows) {
            if (local.applied(row.id())) {
                skipped.increment();
                end = row.id();
                if (batch.isEmpty()) {
                    reached = end;
                }
                continue;
            }
            if (row.tags().contains(EVERYTHING)) {
                if (!invalidate(batch)) {
                    return reached;
                }
                reached = end;
                batch.clear();
                try {
                    store.invalidateAll();
                } catch (RuntimeException e) {
                    errors.report("invalidate every entry (log row " + row.id() + ")",
                            "retried at the next poll", e);
                    return reached;
                }
                cleared.increment();
                applied.increment();
                reached = end = row.id();
                continue;
            }
            if (!batch.isEmpty() && batch.size() + row.tags().size() > BATCH_TAGS) {
                if (!invalidate(batch)) {
                    return reached;
                }
                reached = end;
                batch.clear();
            }
            addValid(batch, row);
            applied.increment();
            end = row.id();
            if (batch.isEmpty()) {
                reached = end;
            }
        }
        return invalidate(batch) ? end : reached;
    }

    /** Whether {@code larder} applied {@code tags} to its store without an error. */
    private boolean invalidate(Collection<String> tags) {
        if (tags.isEmpty()) {
            return true;
        }
        long failures = larder.invalidationErrors();
        try {
            larder.invalidateTags(tags);
        } catch (RuntimeException e) {
            errors.report("apply the invalidation log", "retried at the next poll", e);
            return false;
        }
        return larder.invalidationErrors() == failures;
    }

    private void addValid(Set<String> batch, LogTable.Row row) {
        for (String tag : row.tags()) {
            if (!tag.isEmpty() && tag.length() <= 200 && !tag.startsWith("@")
                    && tag.chars().noneMatch(Character::isISOControl)) {
                batch.add(tag);
            } else {
                errors.report("apply log row " + row.id(), "the tag '" + tag + "' was skipped",
                        new IllegalArgumentException("not a tag"));
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
