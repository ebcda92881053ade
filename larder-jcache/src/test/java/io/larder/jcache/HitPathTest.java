package io.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.jcache.configuration.LarderConfiguration;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hit serves the entry it last read (kept in the bridge's index) without looking the key up
 * again, while the memory store vouches for it. These tests read a key first, so that it is kept,
 * then change the entry every other way there is, and require the next get to see the change:
 * a kept entry trusted wrongly would be served stale and fail them.
 */
class HitPathTest {
    /** The tag of the caches below, for entries written around JCache. */
    private static final Options POSTS = Options.tags("posts");
    private final FakeClock clock = new FakeClock();
    private final CacheManager manager = Managers.open("larder.clock", clock);

    @AfterEach
    void close() {
        manager.close();
    }

    private Cache<String, String> cache(String name) {
        return manager.createCache(name, new LarderConfiguration<String, String>()
                .tags("posts"));
    }

    private static Key keyOf(String cache, String key) {
        return Key.of(LarderBridge.regionOf(cache), KeyForm.of(key));
    }

    /** Reads {@code key} twice, so that the second read is served from the kept entry. */
    private static void warm(Cache<String, String> cache, String key, String expected) {
        assertThat(cache.get(key)).isEqualTo(expected);
        assertThat(cache.get(key)).isEqualTo(expected);
    }

    @Test
    void aPutThroughLarderOutsideJCache_isSeenByTheNextHit() {
        Cache<String, String> cache = cache("outside");
        cache.put("a", "1");
        warm(cache, "a", "1");

        cache.unwrap(Larder.class).put(keyOf("outside", "a"), new Held("a", "2", Long.MAX_VALUE),
                POSTS);

        assertThat(cache.get("a")).isEqualTo("2");
    }

    @Test
    void invalidations_makeTheNextHitAMiss() {
        Cache<String, String> cache = cache("invalidated");
        Larder larder = cache.unwrap(Larder.class);
        cache.put("a", "1");
        warm(cache, "a", "1");
        larder.invalidate(keyOf("invalidated", "a"));
        assertThat(cache.get("a")).as("after invalidate").isNull();

        cache.put("a", "2");
        warm(cache, "a", "2");
        larder.invalidateTag("posts");
        assertThat(cache.get("a")).as("after invalidateTag").isNull();

        cache.put("a", "3");
        warm(cache, "a", "3");
        larder.invalidateRegion(LarderBridge.regionOf("invalidated"));
        assertThat(cache.get("a")).as("after invalidateRegion").isNull();

        cache.put("a", "4");
        warm(cache, "a", "4");
        cache.clear();
        assertThat(cache.get("a")).as("after clear").isNull();
    }

    @Test
    void jcacheWrites_areSeenByTheNextHit() {
        Cache<String, String> cache = cache("written");
        cache.put("a", "1");
        warm(cache, "a", "1");
        cache.put("a", "2");
        assertThat(cache.get("a")).isEqualTo("2");
        assertThat(cache.replace("a", "3")).isTrue();
        assertThat(cache.get("a")).isEqualTo("3");
        assertThat(cache.getAndPut("a", "4")).isEqualTo("3");
        assertThat(cache.get("a")).isEqualTo("4");
        assertThat(cache.remove("a")).isTrue();
        assertThat(cache.get("a")).isNull();
        assertThat(cache.containsKey("a")).isFalse();
    }

    @Test
    void expiry_isCheckedOnEveryHit() {
        Cache<String, String> cache = manager.createCache("expiring",
                new MutableConfiguration<String, String>().setExpiryPolicyFactory(
                        CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(
                                TimeUnit.MINUTES, 1))));
        cache.put("a", "1");
        warm(cache, "a", "1");
        clock.advance(Duration.ofSeconds(61));
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void anEntryEvictedByTheCachesBound_isAMiss() {
        Cache<String, String> cache = manager.createCache("bounded",
                new LarderConfiguration<String, String>().maximumSize(1));
        cache.put("a", "1");
        warm(cache, "a", "1");
        cache.put("b", "2");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isEqualTo("2");
    }

    @Test
    void anEntryEvictedByTheStoresBound_isAMiss() {
        try (CacheManager small = Managers.open("larder.memory.maximumSize", "8")) {
            Cache<String, String> cache = small.createCache("small",
                    new MutableConfiguration<String, String>());
            Larder larder = cache.unwrap(Larder.class);
            cache.put("a", "1");
            warm(cache, "a", "1");
            // Keys of another region, each read often (W-TinyLFU admits them over "a"), push "a"
            // out; its region's entry count tells when, without reading it.
            for (int i = 0; larder.stats().get("small").entries() > 0; i++) {
                assertThat(i).as("the store never evicted 'a'").isLessThan(100_000);
                Key other = Key.of("filler", i);
                larder.put(other, "x");
                for (int read = 0; read < 20; read++) {
                    larder.peek(other, String.class);
                }
            }
            assertThat(cache.get("a")).isNull();
        }
    }

    /**
     * Random operations on a few keys, through JCache and around it through Larder, against a
     * reference map: every get answers what the map holds (the store is large enough to evict
     * nothing).
     */
    @Test
    void randomOperations_matchAReferenceMap() {
        Cache<String, String> cache = cache("model");
        Larder larder = cache.unwrap(Larder.class);
        Map<String, String> model = new HashMap<>();
        Random random = new Random(20);
        for (int step = 0; step < 20_000; step++) {
            String key = "k" + random.nextInt(6);
            String value = "v" + step;
            switch (random.nextInt(10)) {
                case 0 -> {
                    cache.put(key, value);
                    model.put(key, value);
                }
                case 1 -> {
                    larder.put(keyOf("model", key), new Held(key, value, Long.MAX_VALUE), POSTS);
                    model.put(key, value);
                }
                case 2 -> {
                    cache.remove(key);
                    model.remove(key);
                }
                case 3 -> {
                    if (cache.replace(key, value)) {
                        model.put(key, value);
                    }
                }
                case 4 -> {
                    larder.invalidate(keyOf("model", key));
                    model.remove(key);
                }
                case 5 -> {
                    if (random.nextInt(10) == 0) {
                        larder.invalidateTag("posts");
                        model.clear();
                    }
                }
                default -> assertThat(cache.get(key)).as("step %d, %s", step, key)
                        .isEqualTo(model.get(key));
            }
        }
    }

    /**
     * One writer moves a key through increasing numbers, through JCache and through Larder by
     * turns, while two readers read it: no reader ever sees the number go back, and once the
     * writer is done every reader sees its last.
     */
    @Test
    void concurrentWriters_neverMakeAReaderGoBack() throws Exception {
        Cache<String, String> cache = cache("racing");
        Larder larder = cache.unwrap(Larder.class);
        int writes = 20_000;
        cache.put("n", "0");
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                for (int i = 1; i <= writes; i++) {
                    if (i % 2 == 0) {
                        cache.put("n", Integer.toString(i));
                    } else {
                        larder.put(keyOf("racing", "n"),
                                new Held("n", Integer.toString(i), Long.MAX_VALUE), POSTS);
                    }
                }
                done.set(true);
            });
            Future<?>[] readers = new Future<?>[2];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = threads.submit(() -> {
                    int last = 0;
                    while (!done.get()) {
                        int seen = Integer.parseInt(cache.get("n"));
                        assertThat(seen).as("went back from %d", last).isGreaterThanOrEqualTo(last);
                        last = seen;
                    }
                    assertThat(cache.get("n")).isEqualTo(Integer.toString(writes));
                    return null;
                });
            }
            writer.get(2, TimeUnit.MINUTES);
            for (Future<?> reader : readers) {
                reader.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
