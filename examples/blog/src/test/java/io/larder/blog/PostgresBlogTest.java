package io.larder.blog;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlogContract} on PostgreSQL (a fresh schema, dropped after). */
class PostgresBlogTest extends BlogContract {
    @TempDir
    static Path dir;
    private static TestDb db;
    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.postgres();
        servers = Servers.start(db, dir, MODES);
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    TestDb db() {
        return db;
    }

    @Override
    Servers servers() {
        return servers;
    }
}
