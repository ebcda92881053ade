package io.larder.blog;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlogContract} on H2 (in memory). */
class H2BlogTest extends BlogContract {
    @TempDir
    static Path dir;
    private static TestDb db;
    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.h2();
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
