package io.larder.blog;

import io.larder.blog.admin.Passwords;
import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.Caching;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import io.larder.blog.db.Database;
import io.larder.blog.seed.Seeder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The blog's command line: {@code serve}, {@code seed} and {@code measure}. */
@Command(name = "blog", mixinStandardHelpOptions = true,
        description = "The Larder reference blog.",
        subcommands = {Main.Serve.class, Main.Seed.class, Measure.class})
public final class Main implements Runnable {
    /** Runs the command line. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options every command shares: where the data lives. */
    static final class DataOptions {
        @Option(names = "--data", defaultValue = "./blog-data",
                description = "Data folder: embedded database and cache files (${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--db", description = "JDBC URL of the database, e.g."
                + " jdbc:postgresql://127.0.0.1:5432/blog (default: H2 file in the data folder).")
        String db;

        @Option(names = "--schema", description = "Schema to use (PostgreSQL), created if"
                + " missing (default: the connection's own).")
        String schema;

        @Option(names = "--db-user", defaultValue = "", description = "Database user"
                + " (default: sa for H2, postgres otherwise).")
        String dbUser;

        @Option(names = "--db-password", defaultValue = "", description = "Database password.")
        String dbPassword;

        @Option(names = "--redis", description = "Redis of --store redis: one server"
                + " (redis://127.0.0.1:6379, rediss:// for TLS), a Sentinel-watched primary"
                + " (redis-sentinel://host:26379,host:26380#name) or a Redis Cluster"
                + " (redis-cluster://host:7000,host:7001 or host:7000,host:7001). Every node"
                + " needs the same HMAC secret: $LARDER_SECRET, else <data>/redis-secret"
                + " (made once).")
        String redis;

        @Option(names = "--posts", defaultValue = "3000",
                description = "Posts to seed (${DEFAULT-VALUE}).")
        int posts;

        @Option(names = "--comments", defaultValue = "30000",
                description = "Comments to seed (${DEFAULT-VALUE}).")
        int comments;

        @Option(names = "--admin-password", description = "The admin's password when seeding"
                + " (default: $BLOG_ADMIN_PASSWORD, else a random one, printed once).")
        String adminPassword;

        String user() {
            if (!dbUser.isEmpty()) {
                return dbUser;
            }
            return db == null || db.startsWith("jdbc:h2:") ? "sa" : "postgres";
        }

        String password() {
            if (adminPassword != null) {
                return adminPassword;
            }
            String env = System.getenv("BLOG_ADMIN_PASSWORD");
            return env != null && !env.isEmpty() ? env : Passwords.token().substring(0, 16);
        }

        BlogConfig config(String host, int port, CacheMode cache, QueryMode queries,
                StoreKind store) {
            return new BlogConfig(host, port, data, db, user(), dbPassword, schema, cache,
                    queries, store, redis, new Seeder.Size(posts, comments, 42), password());
        }
    }

    /** Starts the web server. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the blog (creating and seeding the database on first start).")
    static final class Serve implements Callable<Integer> {
        @Mixin
        DataOptions data = new DataOptions();

        @Option(names = "--port", defaultValue = "7070", description = "Port (${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Address to listen on (${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--cache", defaultValue = "page",
                description = "off, query, fragment or page (${DEFAULT-VALUE}).")
        CacheMode cache;

        @Option(names = "--queries", defaultValue = "orm",
                description = "orm or sql (${DEFAULT-VALUE}).")
        QueryMode queries;

        @Option(names = "--store", defaultValue = "tiered",
                description = "memory, file, tiered (memory over file) or redis"
                        + " (${DEFAULT-VALUE}).")
        StoreKind store;

        @Option(names = "--l2", description = "Also Hibernate's second-level cache (entities and"
                + " collections, on larder-jcache in this JVM's memory; one node only).")
        boolean secondLevelCache;

        @Option(names = "--purge", paramLabel = "CACHE", description = "An HTTP cache in front"
                + " that invalidations purge: varnish=http://127.0.0.1:6081 (PURGE with an xkey"
                + " header; see the README's VCL) or webhook=https://host/purge/{tag}; repeatable."
                + " Pages then carry their tags in xkey and s-maxage lets the cache keep them.")
        List<String> purge = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            BlogConfig config = data.config(host, port, cache, queries, store)
                    .withSecondLevelCache(secondLevelCache).withPurge(purge);
            BlogServer server = BlogServer.start(config, System.out);
            System.out.println("Larder blog (cache " + cache.name().toLowerCase() + ", queries "
                    + queries.name().toLowerCase() + ", store " + store.name().toLowerCase()
                    + (secondLevelCache ? ", Hibernate second-level cache" : "")
                    + (purge.isEmpty() ? "" : ", purging " + String.join(" ", purge)) + ") at "
                    + server.url() + "/");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    /** Replaces the data with a generated data set. */
    @Command(name = "seed", mixinStandardHelpOptions = true,
            description = "Replace the blog's data with a generated data set.")
    static final class Seed implements Callable<Integer> {
        @Mixin
        DataOptions data = new DataOptions();

        @Override
        public Integer call() throws Exception {
            BlogConfig config = data.config("127.0.0.1", 0, CacheMode.OFF, QueryMode.ORM,
                    StoreKind.MEMORY);
            Files.createDirectories(config.dataDir());
            long start = System.nanoTime();
            try (Database db = Database.open(config.effectiveJdbcUrl(), config.dbUser(),
                    config.dbPassword(), config.schema())) {
                new Seeder(db, System.out).seed(config.seed(), config.adminPassword());
                Caching.invalidateEverything(db);
            }
            Caching.clear(config.cacheDir());
            System.out.printf("Seeded %d posts and %d comments in %.1f s%n", data.posts,
                    data.comments, (System.nanoTime() - start) / 1e9);
            System.out.println("Admin login: " + Seeder.ADMIN + " / " + config.adminPassword());
            return 0;
        }
    }
}
