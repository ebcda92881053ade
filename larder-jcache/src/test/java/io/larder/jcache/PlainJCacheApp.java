package io.larder.jcache;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * An application that knows only the {@code javax.cache} API: whatever provider is on its class
 * path serves it. Returns what it saw, for the test that runs it.
 */
public final class PlainJCacheApp {
    private PlainJCacheApp() {
    }

    /** Caches a greeting and reads it back; "provider-class:value". */
    public static String run() {
        CachingProvider provider = Caching.getCachingProvider();
        CacheManager manager = provider.getCacheManager();
        Cache<String, String> greetings = manager.getCache("greetings");
        if (greetings == null) {
            greetings = manager.createCache("greetings",
                    new MutableConfiguration<String, String>().setTypes(String.class,
                            String.class));
        }
        greetings.put("en", "hello");
        String value = greetings.get("en");
        manager.close();
        return provider.getClass().getName() + ":" + value;
    }
}
