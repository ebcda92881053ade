package io.larder.blog.db;

import java.util.Map;

/**
 * Hibernate's second-level cache on larder-jcache (the blog's {@code --l2}): entities and their
 * collections marked {@code @Cache} are kept between sessions, Hibernate updating them on its
 * own writes. Its entries are Hibernate's own objects, kept in this JVM's memory (they have no
 * JSON form for the file store or Redis), so it suits one node: another node's commits do not
 * reach it. Statistics are on, so that its hits can be read.
 */
public final class SecondLevelCache {
    private SecondLevelCache() {
    }

    /** The Hibernate settings that turn it on. */
    public static Map<String, Object> settings() {
        return Map.of(
                "hibernate.cache.use_second_level_cache", "true",
                "hibernate.cache.region.factory_class", "jcache",
                "hibernate.javax.cache.provider", "io.larder.jcache.spi.LarderCachingProvider",
                "hibernate.javax.cache.missing_cache_strategy", "create",
                "hibernate.generate_statistics", "true");
    }
}
