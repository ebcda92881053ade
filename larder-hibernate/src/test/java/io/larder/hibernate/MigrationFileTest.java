package io.larder.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The migration file the README offers ({@code io/larder/hibernate/invalidation-log.sql}) makes
 * the tables the log works with, on H2 and PostgreSQL, and the module accepts them as they are.
 */
class MigrationFileTest {
    @Test
    void migrationFile_onH2_makesAWorkingLog() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            check(database.dataSource());
        }
    }

    @Test
    void migrationFile_onPostgres_makesAWorkingLog() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            check(database.dataSource());
        }
    }

    private static void check(DataSource dataSource) throws Exception {
        String sql;
        try (InputStream in = InvalidationLog.class.getResourceAsStream("invalidation-log.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
        InvalidationLog.createSchema(dataSource); // adds its rows, keeps the tables
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long first = InvalidationLog.record(c, List.of("a"));
            long second = InvalidationLog.record(c, List.of("b"));
            c.commit();
            assertThat(second).isGreaterThan(first);
        }
    }
}
