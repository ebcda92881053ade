package io.larder.spring;

import io.larder.Larder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The cached services the tests call, and the configuration that wires them on a Larder. */
final class Services {
    private Services() {
    }

    /** A value with a generic field, as a query result would be. */
    record Item(long id, String title, List<String> labels) { }

    /** A service whose methods count their runs. */
    static class Catalog {
        private final AtomicInteger runs = new AtomicInteger();
        private volatile String version = "v1";
        private volatile BooleanSupplier gate = () -> true;

        /** How often the cached methods ran (a method: the bean is a proxy). */
        public AtomicInteger runs() {
            return runs;
        }

        /** What the next loads return. */
        public void version(String version) {
            this.version = version;
        }

        /** What {@code title} waits for before it returns. */
        public void gate(BooleanSupplier gate) {
            this.gate = gate;
        }

        @Cacheable("items")
        public Item item(long id) {
            runs.incrementAndGet();
            return new Item(id, "item " + id + " " + version, List.of("a", "b"));
        }

        @Cacheable(cacheNames = "lists", sync = true)
        public List<Item> list(String lang, int page) {
            runs.incrementAndGet();
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                items.add(new Item(page * 10L + i, lang + " " + version, List.of(lang)));
            }
            return items;
        }

        @Cacheable(cacheNames = "titles", sync = true)
        @CacheTags({"'item:' + #id", "'titles'"})
        public String title(long id) {
            runs.incrementAndGet();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!gate.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gate never opened");
                }
                Thread.onSpinWait();
            }
            return "title " + id + " " + version;
        }

        @Cacheable("nothing")
        public String nothing(String key) {
            runs.incrementAndGet();
            return null;
        }

        @Cacheable(cacheNames = "futures")
        public CompletableFuture<String> future(String key) {
            runs.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> "future " + key + " " + version);
        }

        @Cacheable(cacheNames = "futures-sync", sync = true)
        public CompletableFuture<String> futureSync(String key) {
            runs.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> "future " + key + " " + version);
        }

        @CachePut(cacheNames = "items", key = "#id")
        public Item update(long id, String title) {
            return new Item(id, title, List.of());
        }

        @CacheEvict(cacheNames = "items", key = "#id")
        public void evict(long id) {
        }

        @CacheEvict(cacheNames = "items", allEntries = true)
        public void evictAll() {
        }

        @Caching(evict = {@CacheEvict(cacheNames = "items", key = "#id"),
                @CacheEvict(cacheNames = "titles", key = "#id")})
        public void evictBoth(long id) {
        }

        @InvalidateTags("'item:' + #id")
        public String rename(long id, String title) {
            return title;
        }
    }

    /** Caching on the Larder bean the test registers. */
    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    @Import(LarderCachingConfiguration.class)
    static class Config {
        @Bean
        LarderCacheManager cacheManager(Larder larder) {
            return new LarderCacheManager(larder);
        }

        @Bean
        Catalog catalog() {
            return new Catalog();
        }
    }
}
