package io.larder.blog.cache;

import io.larder.Larder;
import io.larder.LarderBuilder;
import io.larder.blog.BlogConfig;
import io.larder.blog.db.Database;
import io.larder.hibernate.InvalidationLog;
import io.larder.redis.RedisStore;
import io.larder.spi.Store;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.SidebarQueries;
import io.larder.blog.web.Pages;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.time.Duration;

/** Builds the cache and wires the chosen {@link CacheMode} around the queries: one place. */
public final class Caching {
    private Caching() {
    }

    /**
     * Every region the blog uses: query results, the layout's {@code {% cache %}} fragments and
     * whole pages. The Larder is strict, so a region missing here fails at its first use.
     */
    static final List<String> REGIONS = List.of("home-posts", "tag-posts", "month-posts",
            "post", "sidebar", "fragment.title", "fragment.post", "fragment.post-list",
            "fragment.sidebar", "page");

    /** A {@link Larder} on the configured store; files (if any) under the config's cache folder. */
    public static Larder larder(BlogConfig config) {
        Path dir = config.cacheDir();
        LarderBuilder builder = Larder.builder().ttl(Duration.ofMinutes(10))
                .staleFor(Duration.ofHours(1)).strictRegions();
        REGIONS.forEach(region -> builder.region(region, r -> { }));
        Store store = switch (config.store()) {
            case MEMORY -> memory();
            case FILE -> files(dir);
            case TIERED -> TieredStore.of(memory(), files(dir));
            case REDIS -> {
                builder.hmacSecret(SharedSecret.of(config.dataDir()));
                // One prefix per database, so that blogs on other data never share entries.
                yield TieredStore.of(memory(), RedisStore.builder(config.redisUrl())
                        .prefix("blog:" + dir.getFileName() + ":").build());
            }
        };
        return builder.store(store).build();
    }

    /**
     * Records in the database's invalidation log that every entry of every store is invalid
     * (after its data was replaced): the stores of running servers drop everything at their next
     * poll, the others when they start, Redis included.
     */
    public static void invalidateEverything(Database db) throws SQLException {
        InvalidationLog.createSchema(db.dataSource());
        try (Connection connection = db.connection()) {
            connection.setAutoCommit(false);
            InvalidationLog.record(connection, List.of(InvalidationLog.EVERYTHING));
            connection.commit();
        }
    }

    /** Deletes the cache folder {@code dir} (after the data under it was replaced). */
    public static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Store memory() {
        return MemoryStore.builder().maximumBytes(256L << 20).build();
    }

    private static Store files(Path dir) {
        return DiskStore.builder(dir).maximumBytes(1L << 30).build();
    }

    /**
     * The public pages for {@code mode}: plain queries (off), query-cached (query), or pages
     * whose data reads tag the fragment or page being cached with what they show.
     */
    public static Pages pages(CacheMode mode, Larder larder, PostQueries posts,
            SidebarQueries sidebar) {
        return mode.pages(larder, posts, sidebar);
    }
}
