package io.larder.hibernate.internal;

import io.larder.Larder;
import io.larder.spi.ErrorLog;
import io.larder.spi.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the invalidation log's rows to one {@link Larder}'s store, in order, and keeps in the
 * store how far it got ({@link Follower#POSITION}, {@link Follower#DATABASE}): the half of
 * {@link Follower} that reads rows and invalidates, without its scheduling. A store that cannot
 * catch up (its position was pruned, it belongs to another database, or it has none) is
 * invalidated as a whole. Rows this process's own commits already applied are skipped. Called
 * by one thread at a time (the follower's lock).
 */
final class LogApplier {
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    private static final int BATCH_ROWS = 500;
    private static final int BATCH_TAGS = 1_000;

    private final Larder larder;
    private final Store store;
    private final LogTable table;
    private final LocalCommits local;
    private final ErrorLog errors;
    final LongAdder applied = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder cleared = new LongAdder();
    private long database;
    private volatile long position = -1;
    private volatile boolean synced;

    LogApplier(Larder larder, LogTable table, LocalCommits local, ErrorLog errors) {
        this.larder = larder;
        this.store = larder.store();
        this.table = table;
        this.local = local;
        this.errors = errors;
    }

    /** The last log id applied to the store, or -1 before the first catch-up. */
    long position() {
        return position;
    }

    /** The store may have lost track (an outage): take its position again before applying. */
    void unsync() {
        synced = false;
    }

    /**
     * Applies every row committed before the call on {@code connection} (after syncing with the
     * store's own position if needed); the position reached.
     */
    long catchUp(Connection connection) throws SQLException {
        if (!synced) {
            sync(connection);
        }
        applyNew(connection);
        return position;
    }

    /** Takes the store's own position, or invalidates the store if it cannot catch up. */
    private void sync(Connection connection) throws SQLException {
        LogTable.State state = table.state(connection);
        long head = table.head(connection, state);
        OptionalLong storeDatabase = store.marker(Follower.DATABASE);
        OptionalLong storePosition = store.marker(Follower.POSITION);
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
        store.marker(Follower.POSITION, head);
        store.marker(Follower.DATABASE, database);
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
                    store.marker(Follower.POSITION, reached);
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
            if (row.tags().contains(Follower.EVERYTHING)) {
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
}
