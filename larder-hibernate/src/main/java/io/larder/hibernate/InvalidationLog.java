package io.larder.hibernate;

import io.larder.Larder;
import io.larder.hibernate.internal.Connections;
import io.larder.hibernate.internal.Follower;
import io.larder.hibernate.internal.LogTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The invalidation log: the tags each committed transaction invalidated, written in that same
 * transaction to the table {@code larder_invalidation} of the application's database, and applied
 * in order to every {@link Larder}'s store by its follower, which keeps in the store how far it
 * got. A commit therefore never loses its invalidation: not when its process dies right after it,
 * nor when a store was not attached, was down or was flushed; a store that cannot catch up is
 * invalidated as a whole. {@link LarderHibernate#settings} records and follows it by default.
 *
 * <pre>{@code
 * // A write that bypasses Hibernate (plain JDBC, a script): record its tags in its transaction.
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     c.createStatement().executeUpdate("update post set title = 'New' where id = 42");
 *     InvalidationLog.record(c, List.of("Post", "Post:42"));
 *     c.commit();
 * }
 * }</pre>
 */
public final class InvalidationLog implements AutoCloseable {
    /** Recorded as a tag, invalidates every entry of every store (after data was replaced). */
    public static final String EVERYTHING = Follower.EVERYTHING;

    private final Follower follower;
    private final boolean owned;

    /**
     * What a store's follower did since it started.
     *
     * @param position the last log id applied to the store (-1 before the first catch-up)
     * @param applied rows applied through {@code Larder.invalidateTags}
     * @param skipped rows skipped because this process's commit had applied them already
     * @param cleared times the whole store was invalidated (it could not catch up)
     */
    public record Stats(long position, long applied, long skipped, long cleared) { }

    private InvalidationLog(Follower follower, boolean owned) {
        this.follower = follower;
        this.owned = owned;
    }

    /**
     * Records {@code tags} in the transaction running on {@code connection}, so that they are
     * invalidated in every store once, and only if, it commits. Takes the log's lock until that
     * transaction ends (the log's order is commit order): call it just before committing.
     *
     * @return the id of the log row
     */
    public static long record(Connection connection, Collection<String> tags)
            throws SQLException {
        Objects.requireNonNull(tags, "tags");
        return LogTable.DEFAULT.record(connection, tags);
    }

    /**
     * Creates the log's tables ({@code larder_invalidation}, {@code larder_meta}) where missing,
     * on PostgreSQL or H2. {@link LarderHibernate} does it when the session factory starts; call
     * it (or apply {@code io/larder/hibernate/invalidation-log.sql}) where the application's
     * database user cannot create tables.
     */
    public static void createSchema(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            LogTable.DEFAULT.createSchema(connection);
        }
    }

    /**
     * Follows the log of {@code dataSource}'s database into {@code larder}'s store, without
     * Hibernate (with it, {@link LarderHibernate#settings} already does): creates the tables if
     * missing, catches the store up on this thread, then polls every {@code poll}.
     *
     * @throws SQLException if the log cannot be read
     */
    public static InvalidationLog follow(Larder larder, DataSource dataSource, Duration poll)
            throws SQLException {
        return new InvalidationLog(Follower.attach(larder, Connections.of(dataSource),
                LogTable.DEFAULT, positive("poll", poll), Duration.ofDays(1), true), true);
    }

    /** The log that {@code larder} follows, if any. */
    public static Optional<InvalidationLog> of(Larder larder) {
        Follower follower = Follower.of(larder);
        return Optional.ofNullable(follower == null ? null : new InvalidationLog(follower, false));
    }

    /**
     * Applies every row committed before this call to the store, now, on this thread (polling
     * does it within its interval).
     *
     * @return the last log id applied to the store
     */
    public long catchUp() throws SQLException {
        return follower.catchUp();
    }

    /** What the follower did since it started. */
    public Stats stats() {
        return follower.stats();
    }

    /**
     * Stops following, if this came from {@link #follow} (a log that Hibernate follows ends with
     * its session factory). The store keeps its position for the next start.
     */
    @Override
    public void close() {
        if (owned) {
            follower.release();
        }
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
