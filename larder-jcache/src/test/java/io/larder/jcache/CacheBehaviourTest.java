package io.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Larder;
import io.larder.jcache.configuration.LarderConfiguration;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the TCK does not pin: an injected clock, Larder's own types, failures, contention. */
class CacheBehaviourTest {
    private final FakeClock clock = new FakeClock();
    private final CacheManager manager = Managers.open("larder.clock", clock);

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void accessedExpiry_readsExtendTheEntry_thenItExpiresWithAnEvent() {
        Events events = new Events();
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(
                        new javax.cache.expiry.Duration(TimeUnit.MINUTES, 1)))
                .addCacheEntryListenerConfiguration(events.configuration());
        Cache<String, String> cache = manager.createCache("sessions", config);
        cache.put("a", "1");

        clock.advance(Duration.ofSeconds(40));
        assertThat(cache.get("a")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(40));
        assertThat(cache.get("a")).as("the read at 40 s moved expiry to 100 s").isEqualTo("1");
        clock.advance(Duration.ofSeconds(61));

        assertThat(cache.get("a")).isNull();
        assertThat(events.seen).containsExactly("CREATED a=1", "EXPIRED a=1");
    }

    @Test
    void unwrap_reachesTheLarder_whoseTagInvalidationEmptiesTheCache() {
        Cache<Long, String> cache = manager.createCache("posts",
                new LarderConfiguration<Long, String>().tags("posts"));
        cache.put(1L, "hello");

        cache.unwrap(Larder.class).invalidateTag("posts");

        assertThat(cache.get(1L)).isNull();
        assertThat(cache.unwrap(LarderConfiguration.class).getTags()).containsExactly("posts");
        assertThat(manager.unwrap(Larder.class)).isSameAs(cache.unwrap(Larder.class));
    }

    @Test
    void maximumSize_boundsOneCache_andCountsItsEvictions() {
        Cache<Integer, String> busy = manager.createCache("busy",
                new LarderConfiguration<Integer, String>().maximumSize(3)
                        .setStatisticsEnabled(true));
        Cache<Integer, String> quiet = manager.createCache("quiet",
                new MutableConfiguration<Integer, String>());
        quiet.put(1, "kept");
        for (int i = 0; i < 10; i++) {
            busy.put(i, "v" + i);
        }

        int left = 0;
        for (Cache.Entry<Integer, String> entry : busy) {
            left++;
        }
        assertThat(left).isEqualTo(3);
        assertThat(busy.get(9)).as("the entry just written stays").isEqualTo("v9");
        assertThat(busy.unwrap(CacheProxy.class).statistics.getCacheEvictions()).isEqualTo(7);
        assertThat(quiet.get(1)).isEqualTo("kept");
    }

    @Test
    void throwingSynchronousListener_reachesTheCaller_afterTheChangeWasMade() {
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(Throwing.class), null, false, true));
        Cache<String, String> cache = manager.createCache("loud", config);

        assertThatThrownBy(() -> cache.put("a", "1"))
                .isInstanceOf(CacheEntryListenerException.class);
        assertThat(cache.get("a")).isEqualTo("1");
    }

    @Test
    void throwingLoader_isACacheLoaderException_andCachesNothing() {
        AtomicInteger calls = new AtomicInteger();
        Loader loader = new Loader(key -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return "v-" + key;
        });
        Cache<String, String> cache = manager.createCache("loaded",
                new MutableConfiguration<String, String>().setReadThrough(true)
                        .setCacheLoaderFactory(FactoryBuilder.factoryOf(loader)));

        assertThatThrownBy(() -> cache.get("a")).isInstanceOf(CacheLoaderException.class)
                .hasRootCauseMessage("database down");
        assertThat(cache.containsKey("a")).isFalse();
        assertThat(cache.get("a")).isEqualTo("v-a");
        assertThat(cache.containsKey("a")).isTrue();
    }

    @Test
    void throwingWriter_isACacheWriterException_andLeavesTheCacheAsItWas() {
        Writer writer = new Writer();
        Cache<String, String> cache = manager.createCache("written",
                new MutableConfiguration<String, String>().setWriteThrough(true)
                        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer)));
        cache.put("a", "1");
        writer.failing = true;

        assertThatThrownBy(() -> cache.put("a", "2")).isInstanceOf(CacheWriterException.class);
        assertThatThrownBy(() -> cache.remove("a")).isInstanceOf(CacheWriterException.class);
        assertThat(cache.get("a")).isEqualTo("1");
    }

    @Test
    void readThrough_loadsEachKeyOnce_howeverManyThreadsMissIt() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        Cache<String, String> cache = manager.createCache("contended",
                new MutableConfiguration<String, String>().setReadThrough(true)
                        .setCacheLoaderFactory(FactoryBuilder.factoryOf(new Loader(key -> {
                            loads.incrementAndGet();
                            return "v-" + key;
                        }))));
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.get(new String("same-key"));
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("v-same-key");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void storeByValue_laterChangesToTheCallersObjectDoNotReachTheCache() {
        Cache<String, ArrayList<String>> cache = manager.createCache("lists",
                new MutableConfiguration<String, ArrayList<String>>());
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        cache.put("k", list);
        list.add("b");
        cache.get("k").add("c");

        assertThat(cache.get("k")).containsExactly("a");
    }

    @Test
    void storeByValue_copiesValuesHoldingJdkValueTypes_writtenAsSerialProxies() {
        // java.time values are written as java.time.Ser and read back as themselves; the copy's
        // input filter once refused them (Hibernate's second-level cache entries hold them).
        Cache<String, ArrayList<Object>> cache = manager.createCache("dated",
                new MutableConfiguration<String, ArrayList<Object>>());
        ArrayList<Object> value = new ArrayList<>(List.of(
                java.time.LocalDateTime.of(2026, 12, 4, 19, 30), java.time.Duration.ofSeconds(5),
                new java.io.Serializable[] {java.time.LocalDate.of(2026, 1, 1), 7L}));
        cache.put("k", value);

        ArrayList<Object> copy = cache.get("k");
        assertThat(copy).isNotSameAs(value);
        assertThat(copy.subList(0, 2)).isEqualTo(value.subList(0, 2));
        assertThat((Object[]) copy.get(2)).containsExactly(java.time.LocalDate.of(2026, 1, 1), 7L);
    }

    /** A loader from a function; serializable through the factory as an instance. */
    record Loader(java.util.function.Function<String, String> load)
            implements CacheLoader<String, String>, java.io.Serializable {
        @Override
        public String load(String key) {
            return load.apply(key);
        }

        @Override
        public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
            java.util.Map<String, String> all = new java.util.HashMap<>();
            keys.forEach(key -> all.put(key, load(key)));
            return all;
        }
    }

    /** A writer that fails once told to. */
    static final class Writer implements CacheWriter<String, String>, java.io.Serializable {
        volatile boolean failing;

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            check();
        }

        @Override
        public void writeAll(java.util.Collection<Cache.Entry<? extends String,
                ? extends String>> entries) {
            check();
        }

        @Override
        public void delete(Object key) {
            check();
        }

        @Override
        public void deleteAll(java.util.Collection<?> keys) {
            check();
        }

        private void check() {
            if (failing) {
                throw new IllegalStateException("the system of record refused");
            }
        }
    }

    /** A synchronous listener that always fails. */
    public static final class Throwing implements CacheEntryCreatedListener<String, String> {
        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> e) {
            throw new IllegalStateException("listener bug");
        }
    }

    /** Records created and expired events as "TYPE key=value". */
    static final class Events implements CacheEntryCreatedListener<String, String>,
            CacheEntryExpiredListener<String, String>, java.io.Serializable {
        final List<String> seen = new CopyOnWriteArrayList<>();

        MutableCacheEntryListenerConfiguration<String, String> configuration() {
            return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(this),
                    null, true, true);
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> e) {
            e.forEach(event -> seen.add("CREATED " + event.getKey() + "=" + event.getValue()));
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> e) {
            e.forEach(event -> seen.add("EXPIRED " + event.getKey() + "=" + event.getValue()));
        }
    }
}
