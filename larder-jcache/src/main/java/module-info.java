/**
 * Larder's JCache (JSR-107) provider: {@code io.larder.jcache.spi.LarderCachingProvider}, found
 * by {@code Caching.getCachingProvider()}, and {@code LarderConfiguration} for Larder's own
 * settings. The rest of the spec's machinery (events, expiry, loader and writer, management,
 * entry processors) is not exported.
 */
module io.larder.jcache {
    requires transitive io.larder.core;
    requires transitive cache.api;
    requires static io.larder.redis;
    requires java.management;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports io.larder.jcache;
    exports io.larder.jcache.configuration;
    exports io.larder.jcache.spi;

    provides javax.cache.spi.CachingProvider with io.larder.jcache.spi.LarderCachingProvider;
}
