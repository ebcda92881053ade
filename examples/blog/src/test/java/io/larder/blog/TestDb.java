package io.larder.blog;

import io.larder.blog.db.Database;
import io.larder.blog.seed.Seeder;
import io.larder.testing.Services;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;

/**
 * A small seeded database for tests: H2 in memory, or a fresh schema on the PostgreSQL server
 * on loopback (dropped on close). PostgreSQL unreachable: fails when CI=true, else skips.
 */
final class TestDb implements AutoCloseable {
    static final String ADMIN_PASSWORD = "test-password-1";
    static final Seeder.Size SIZE = new Seeder.Size(60, 400, 7);
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3";

    final Database db;
    final String url;
    final String user;
    final String schema;

    private TestDb(Database db, String url, String user, String schema) {
        this.db = db;
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    static TestDb h2() throws SQLException {
        String url = "jdbc:h2:mem:blog-" + token() + ";DB_CLOSE_DELAY=-1";
        return seeded(Database.open(url, "sa", "", null), url, "sa", null);
    }

    static TestDb postgres() throws SQLException {
        Services.requirePostgres();
        String schema = "blog_test_" + token();
        return seeded(Database.open(PG_URL, "postgres", "", schema), PG_URL, "postgres", schema);
    }

    private static TestDb seeded(Database db, String url, String user, String schema)
            throws SQLException {
        new Seeder(db, new PrintStream(OutputStream.nullOutputStream())).seed(SIZE, ADMIN_PASSWORD);
        return new TestDb(db, url, user, schema);
    }

    private static String token() {
        byte[] bytes = new byte[6];
        new Random().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() throws SQLException {
        db.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(url, user, "");
                 Statement s = c.createStatement()) {
                s.executeUpdate("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
