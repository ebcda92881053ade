package io.larder.blog;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One blog server per mode, side by side on one test database, each with its own cache. */
final class Servers implements AutoCloseable {
    final Map<String, BlogServer> byMode = new LinkedHashMap<>();

    static Servers start(TestDb db, Path dataDir, CacheMode... modes) throws Exception {
        Servers servers = new Servers();
        try {
            for (CacheMode cache : modes) {
                for (QueryMode queries : QueryMode.values()) {
                    BlogConfig config = new BlogConfig("127.0.0.1", 0, dataDir, db.url, db.user, "",
                            db.schema, cache, queries, StoreKind.MEMORY, null, TestDb.SIZE,
                            TestDb.ADMIN_PASSWORD);
                    servers.byMode.put(cache.name().toLowerCase() + "/"
                            + queries.name().toLowerCase(), BlogServer.start(config, db.db));
                }
            }
            return servers;
        } catch (Exception | Error e) {
            servers.close();
            throw e;
        }
    }

    /**
     * Applies to {@code server}'s store every commit made so far through any server (its
     * follower would within a poll): the checks that follow then see only their own edits.
     */
    static void caughtUp(BlogServer server) {
        try {
            io.larder.hibernate.InvalidationLog.of(server.larder()).orElseThrow().catchUp();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        byMode.values().forEach(BlogServer::close);
    }
}
