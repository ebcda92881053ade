package io.larder.blog;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import io.larder.blog.seed.Seeder;
import io.larder.http.HttpPurge;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to run the blog.
 *
 * @param host the address to listen on
 * @param port the port, 0 for any free one
 * @param dataDir the data folder (embedded database, cache files)
 * @param jdbcUrl the database, or {@code null} for the embedded H2 file under the data folder
 * @param dbUser the database user
 * @param dbPassword the database password
 * @param schema the schema to use (created if missing), or {@code null} for the default
 * @param cache what to cache
 * @param queries how pages read the database
 * @param store where cached entries live
 * @param redisUrl the Redis of the {@code redis} store ({@code redis://host:port},
 *     {@code redis-sentinel://host:port,...#name}, {@code redis-cluster://host:port,...}), or
 *     {@code null}
 * @param seed the data set made on first start (empty database)
 * @param adminPassword the admin's password set by that seed
 * @param secondLevelCache whether Hibernate's second-level cache runs too (on larder-jcache, in
 *     this JVM's memory), beside the cache mode
 * @param purge the HTTP caches in front that invalidations purge ({@code varnish=URL},
 *     {@code webhook=URL with {tag}}); with any, cached pages carry their tags in {@code xkey}
 *     and may be kept by shared caches ({@code s-maxage})
 */
public record BlogConfig(String host, int port, Path dataDir, String jdbcUrl, String dbUser,
        String dbPassword, String schema, CacheMode cache, QueryMode queries, StoreKind store,
        String redisUrl, Seeder.Size seed, String adminPassword, boolean secondLevelCache,
        List<String> purge) {

    /** Without Hibernate's second-level cache and without HTTP caches to purge. */
    public BlogConfig(String host, int port, Path dataDir, String jdbcUrl, String dbUser,
            String dbPassword, String schema, CacheMode cache, QueryMode queries,
            StoreKind store, String redisUrl, Seeder.Size seed, String adminPassword) {
        this(host, port, dataDir, jdbcUrl, dbUser, dbPassword, schema, cache, queries, store,
                redisUrl, seed, adminPassword, false, List.of());
    }

    /** Validates. */
    public BlogConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(seed, "seed");
        if (store == StoreKind.REDIS && (redisUrl == null || redisUrl.isBlank())) {
            throw new IllegalArgumentException("the redis store needs --redis redis://host:port"
                    + " (or redis-sentinel://host:port,...#name, redis-cluster://host:port,...)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        purge = List.copyOf(purge);
        purgeTargets(purge); // checks each now
    }

    /**
     * The purger of {@link #purge()}'s caches, not yet started, or {@code null} if there are
     * none: {@code varnish=http://127.0.0.1:6081} or {@code webhook=https://cdn/purge/{tag}}.
     */
    public HttpPurge.Builder purgeTargets() {
        return purgeTargets(purge);
    }

    private static HttpPurge.Builder purgeTargets(List<String> purge) {
        if (purge.isEmpty()) {
            return null;
        }
        HttpPurge.Builder builder = HttpPurge.builder();
        for (String target : purge) {
            if (target.startsWith("varnish=")) {
                builder.varnish(URI.create(target.substring("varnish=".length())));
            } else if (target.startsWith("webhook=")) {
                builder.webhook(target.substring("webhook=".length()));
            } else {
                throw new IllegalArgumentException("--purge takes varnish=URL or"
                        + " webhook=URL-with-{tag}, was '" + target + "'");
            }
        }
        return builder;
    }

    /** The JDBC URL to use: the given one, or the H2 file {@code blog} under the data folder. */
    public String effectiveJdbcUrl() {
        return jdbcUrl != null ? jdbcUrl
                : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("blog");
    }

    /**
     * The cache's folder: {@code <data>/cache} for the embedded database, else
     * {@code <data>/cache-<digest of JDBC URL and schema>}, so two databases never share entries.
     */
    public Path cacheDir() {
        if (jdbcUrl == null && schema == null) {
            return dataDir.resolve("cache");
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    (effectiveJdbcUrl() + "|" + schema)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return dataDir.resolve("cache-" + java.util.HexFormat.of().formatHex(digest, 0, 6));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy with another cache mode. */
    public BlogConfig withCache(CacheMode mode) {
        return new BlogConfig(host, port, dataDir, jdbcUrl, dbUser, dbPassword, schema, mode,
                queries, store, redisUrl, seed, adminPassword, secondLevelCache,
                purge);
    }

    /** A copy with another query mode. */
    public BlogConfig withQueries(QueryMode mode) {
        return new BlogConfig(host, port, dataDir, jdbcUrl, dbUser, dbPassword, schema, cache,
                mode, store, redisUrl, seed, adminPassword, secondLevelCache,
                purge);
    }

    /** A copy with Hibernate's second-level cache on or off. */
    public BlogConfig withSecondLevelCache(boolean on) {
        return new BlogConfig(host, port, dataDir, jdbcUrl, dbUser, dbPassword, schema, cache,
                queries, store, redisUrl, seed, adminPassword, on, purge);
    }

    /** A copy that purges these HTTP caches (see {@link #purge()}). */
    public BlogConfig withPurge(List<String> targets) {
        return new BlogConfig(host, port, dataDir, jdbcUrl, dbUser, dbPassword, schema, cache,
                queries, store, redisUrl, seed, adminPassword, secondLevelCache, targets);
    }
}
