package io.larder.blog;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import java.nio.file.Path;

/**
 * One blog server for the reliability tests: a cache mode on a store (memory, file, Redis), on
 * an open test database it shares, in the data folder given (one per file store, so that file
 * stores never share a folder; one for all Redis nodes, so that they share the HMAC secret).
 * Starts {@link BlogServer} through the same call as {@link Servers}.
 */
final class BlogNode {
    private BlogNode() {
    }

    /** A server in {@code cache} mode on {@code store} ({@code redis} only for the Redis store). */
    static BlogServer start(TestDb db, Path dataDir, CacheMode cache, StoreKind store,
            String redis) throws Exception {
        return start(db, config(db, dataDir, cache, store, redis));
    }

    /** The configuration such a server runs with (its {@code cacheDir()} is known before start). */
    static BlogConfig config(TestDb db, Path dataDir, CacheMode cache, StoreKind store,
            String redis) {
        return new BlogConfig("127.0.0.1", 0, dataDir, db.url, db.user, "", db.schema, cache,
                QueryMode.ORM, store, redis, TestDb.SIZE, TestDb.ADMIN_PASSWORD);
    }

    /** A server for {@code config} on {@code db}; makes the data folder if needed. */
    static BlogServer start(TestDb db, BlogConfig config) throws Exception {
        java.nio.file.Files.createDirectories(config.dataDir());
        return BlogServer.start(config, db.db);
    }

    /** A server in {@code cache} mode on the memory or file store. */
    static BlogServer start(TestDb db, Path dataDir, CacheMode cache, StoreKind store)
            throws Exception {
        return start(db, dataDir, cache, store, null);
    }
}
