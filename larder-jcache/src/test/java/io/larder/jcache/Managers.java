package io.larder.jcache;

import io.larder.jcache.spi.LarderCachingProvider;
import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import javax.cache.CacheManager;

/** Cache managers of Larder's provider for tests, each under its own URI. */
final class Managers {
    static final LarderCachingProvider PROVIDER = new LarderCachingProvider();

    private Managers() {
    }

    /** A new manager with these settings (name, value, name, value...). */
    static CacheManager open(Object... settings) {
        Properties properties = new Properties();
        for (int i = 0; i < settings.length; i += 2) {
            properties.put(settings[i], settings[i + 1]);
        }
        return PROVIDER.getCacheManager(URI.create("urn:test:" + UUID.randomUUID()),
                Managers.class.getClassLoader(), properties);
    }
}
