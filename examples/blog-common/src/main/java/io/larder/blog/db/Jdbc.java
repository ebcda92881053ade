package io.larder.blog.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small helpers for the plain-JDBC queries: one connection per call, read-only. */
public final class Jdbc {
    private Jdbc() {
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work. */
        T apply(Connection c) throws SQLException;
    }

    /** Maps one row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        /** The value of the current row. */
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection; SQL errors become unchecked. */
    public static <T> T read(Database db, Work<T> work) {
        try (Connection c = db.connection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /** The rows of {@code sql} with {@code params}, mapped. */
    public static <T> List<T> rows(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(mapper.map(rs));
                }
                return result;
            }
        }
    }

    /** The single number {@code sql} selects. */
    public static long count(Connection c, String sql, Object... params) throws SQLException {
        return rows(c, sql, rs -> rs.getLong(1), params).get(0);
    }

    /** {@code n} comma-separated question marks. */
    public static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
