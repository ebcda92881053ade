package io.larder.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The services and programs tests need: one that is missing fails the test under CI
 * ({@code CI=true}, where every test must run) and skips it elsewhere, saying why.
 */
public final class Services {
    /** The PostgreSQL the tests use (trust auth, user {@code postgres}). */
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private Services() {
    }

    /** Fails the test under CI, skips it elsewhere: {@code why} it cannot run. */
    public static void missing(String why) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + "; CI must run this test");
        }
        Assumptions.abort(why + "; skipped outside CI");
    }

    /** Checks that {@link #POSTGRES_URL} answers (the JDBC driver is the caller's). */
    public static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=3",
                "postgres", "")) {
            c.isValid(2);
        } catch (SQLException e) {
            missing("PostgreSQL on 127.0.0.1:5432 (db test, user postgres) unreachable: "
                    + e.getMessage());
        }
    }

    /** Checks that a Redis listens on 127.0.0.1:6379. */
    public static void requireRedis() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
        } catch (IOException e) {
            missing("no Redis on 127.0.0.1:6379 (" + e.getMessage() + ")");
        }
    }
}
