package io.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.jcache.spi.LarderCachingProvider;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * An application that uses only {@code javax.cache} runs on Larder with larder-jcache alone on
 * its class path; with a second provider (Caffeine's) beside it, the documented ways to pick
 * Larder work.
 */
class ProviderSelectionTest {
    private static final String LARDER = LarderCachingProvider.class.getName();

    @Test
    void plainJCacheApp_runsOnLarder_whenItIsTheOnlyProvider() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("caffeine" + File.separator + "jcache")) {
                urls.add(url(entry));
            }
        }
        try (URLClassLoader app = new URLClassLoader(urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(app);
            try {
                Object seen = app.loadClass(PlainJCacheApp.class.getName()).getMethod("run")
                        .invoke(null);
                assertThat(seen).isEqualTo(LARDER + ":hello");
            } finally {
                thread.setContextClassLoader(before);
            }
        }
    }

    @Test
    void twoProviders_theDefaultIsAmbiguous_andLarderIsPickedByName() {
        assertThat(Caching.getCachingProviders()).extracting(p -> p.getClass().getName())
                .contains(LARDER,
                        "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
        assertThatThrownBy(Caching::getCachingProvider).isInstanceOf(CacheException.class);

        CachingProvider larder = Caching.getCachingProvider(LARDER);

        assertThat(larder).isInstanceOf(LarderCachingProvider.class);
        assertThat(larder.getCacheManager().getCachingProvider()).isSameAs(larder);
    }

    @Test
    void twoProviders_theSystemPropertyPicksLarder() throws Exception {
        // Caching reads the property once per class loader, when it first looks for providers
        // (as with -Djavax.cache.spi.CachingProvider=... on the command line): a fresh loader.
        String property = "javax.cache.spi.CachingProvider";
        System.setProperty(property, LARDER);
        try (URLClassLoader fresh = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            assertThat(Caching.getCachingProvider(fresh))
                    .isInstanceOf(LarderCachingProvider.class);
        } finally {
            System.clearProperty(property);
        }
    }

    private static URL url(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
