package io.larder.hibernate;

import io.larder.testing.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A database for one test class: an H2 in memory, or a fresh schema on the PostgreSQL server. */
final class TestDatabase implements AutoCloseable {
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String url;
    private final String user;
    private final String schema;

    private TestDatabase(String url, String user, String schema) {
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    static TestDatabase h2() {
        return new TestDatabase("jdbc:h2:mem:larder_" + random() + ";DB_CLOSE_DELAY=-1", "sa",
                null);
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A new schema on the loopback PostgreSQL; fails under CI=true if unreachable, else skips. */
    static TestDatabase postgres() {
        String schema = "larder_hibernate_" + random();
        try (Connection connection = DriverManager.getConnection(PG_URL, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            Services.missing("PostgreSQL at " + PG_URL + " is not reachable: " + e.getMessage());
        }
        return new TestDatabase(PG_URL, "postgres", schema);
    }

    /** The settings Hibernate connects and creates its tables with. */
    Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("jakarta.persistence.jdbc.url", url);
        settings.put("jakarta.persistence.jdbc.user", user);
        settings.put("jakarta.persistence.jdbc.password", "");
        settings.put("hibernate.hbm2ddl.auto", "create");
        settings.put("hibernate.connection.pool_size", "16");
        if (schema != null) {
            settings.put("hibernate.default_schema", schema); // statements name "schema.post"
        }
        return settings;
    }

    /** A data source on the same database whose connections work in the test's schema. */
    DataSource dataSource() {
        if (schema == null) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword("");
            return h2;
        }
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        postgres.setUser(user);
        postgres.setCurrentSchema(schema);
        return postgres;
    }

    /** The test's schema on PostgreSQL, or {@code null} on H2. */
    String schema() {
        return schema;
    }

    /** Whether this is the PostgreSQL server (else H2). */
    boolean isPostgres() {
        return schema != null;
    }

    /** {@code table}, qualified with the schema if there is one. */
    String table(String table) {
        return schema == null ? table : schema + "." + table;
    }

    /** A new plain JDBC connection (autocommit: it sees committed data only). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(schema == null ? "shutdown" : "drop schema " + schema + " cascade");
        }
    }
}
