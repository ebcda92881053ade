package io.larder.spring.boot.autoconfigure.jcacheapp;

import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;

/**
 * A Spring Boot application on the standard route only: spring-boot-starter-cache, and a
 * {@link JCacheManagerCustomizer} that creates its caches with {@link MutableConfiguration}. It
 * names no provider: with larder-jcache the only JCache provider on the class path, Spring Boot's
 * JCache support picks it, as it would pick Caffeine's.
 */
@SpringBootApplication
@EnableCaching
public class BooksApp {

    /** The caches, created the JSR-107 way. */
    @Bean
    JCacheManagerCustomizer booksCaches() {
        return cacheManager -> {
            cacheManager.createCache("books", new MutableConfiguration<Long, String>()
                    .setTypes(Long.class, String.class)
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))
                    .setStatisticsEnabled(true));
            cacheManager.createCache("authors", new MutableConfiguration<>());
        };
    }

    /** A cached service. */
    @Service
    public static class Books {
        private final AtomicInteger runs = new AtomicInteger();

        /** The title of book {@code id}, computed once. */
        @Cacheable("books")
        public String title(long id) {
            runs.incrementAndGet();
            return "book " + id;
        }

        public int runs() {
            return runs.get();
        }
    }
}
