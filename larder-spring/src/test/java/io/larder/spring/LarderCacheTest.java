package io.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Larder;
import io.larder.spring.Services.Catalog;
import io.larder.spring.Services.Item;
import io.larder.store.DiskStore;
import io.larder.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cache.Cache;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

class LarderCacheTest {
    private static final byte[] SECRET = "larder-spring test secret".getBytes(StandardCharsets.UTF_8);
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path folder;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private AnnotationConfigApplicationContext context(Larder larder) {
        open.add(larder);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Larder.class, () -> larder);
        context.register(Services.Config.class);
        context.refresh();
        open.add(context);
        return context;
    }

    private AnnotationConfigApplicationContext memory() {
        return context(Larder.builder().build());
    }

    private Larder onDisk() {
        return Larder.builder().store(DiskStore.builder(folder).build()).hmacSecret(SECRET)
                .build();
    }

    @Test
    void cacheable_secondCall_isServedFromTheCache() {
        Catalog catalog = memory().getBean(Catalog.class);
        Item first = catalog.item(1);
        assertThat(catalog.item(1)).isEqualTo(first);
        assertThat(catalog.item(2).id()).isEqualTo(2);
        assertThat(catalog.runs()).hasValue(2);
    }

    @Test
    void cacheOfABoundedRegion_keepsItsBoundAndSettings() {
        Larder larder = Larder.builder().region("items", r -> r.ttl(Duration.ofMinutes(7))
                .maximumEntries(50)).build();
        Catalog catalog = context(larder).getBean(Catalog.class);
        catalog.item(1);
        assertThat(larder.region("items").maximumEntries()).hasValue(50);
        assertThat(larder.region("items").ttl()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void genericReturnType_roundTripsThroughTheFileStore_inAnotherContext() {
        Catalog writer = context(onDisk()).getBean(Catalog.class);
        List<Item> written = writer.list("de", 2);
        Catalog reader = context(onDisk()).getBean(Catalog.class);
        List<Item> read = reader.list("de", 2);
        assertThat(read).isEqualTo(written);
        assertThat(read.get(0)).isInstanceOf(Item.class);
        assertThat(reader.runs()).hasValue(0);
    }

    @Test
    void cachePut_replacesTheEntry_andCacheEvict_removesIt() {
        Catalog catalog = memory().getBean(Catalog.class);
        catalog.item(1);
        catalog.update(1, "renamed");
        assertThat(catalog.item(1).title()).isEqualTo("renamed");
        catalog.evict(1);
        assertThat(catalog.item(1).title()).isEqualTo("item 1 v1");
        assertThat(catalog.runs()).hasValue(2);
    }

    @Test
    void cacheEvictAllEntries_emptiesTheRegion() {
        Catalog catalog = context(onDisk()).getBean(Catalog.class);
        catalog.item(1);
        catalog.item(2);
        catalog.evictAll();
        catalog.item(1);
        catalog.item(2);
        assertThat(catalog.runs()).hasValue(4);
    }

    @Test
    void caching_evictsFromBothCaches() {
        Catalog catalog = memory().getBean(Catalog.class);
        catalog.item(1);
        catalog.title(1);
        catalog.evictBoth(1);
        catalog.item(1);
        catalog.title(1);
        assertThat(catalog.runs()).hasValue(4);
    }

    @Test
    void syncTrue_eightThreadsOnOneMissedKey_loadOnce() throws Exception {
        Larder larder = Larder.builder().build();
        Catalog catalog = context(larder).getBean(Catalog.class);
        catalog.gate(missesReach(larder, "titles", 8));
        assertThat(runOnEightThreads(() -> catalog.title(7))).containsOnly("title 7 v1");
        assertThat(catalog.runs()).hasValue(1);
    }

    @Test
    void syncTrue_eightThreadsOnTwoContextsSharingAFileStore_loadOnce() throws Exception {
        Larder a = onDisk();
        Larder b = onDisk();
        Catalog left = context(a).getBean(Catalog.class);
        Catalog right = context(b).getBean(Catalog.class);
        BooleanSupplier gate = () -> misses(a, "titles") + misses(b, "titles") >= 8;
        left.gate(gate);
        right.gate(gate);
        List<Object> values = runOnEightThreads(
                i -> i % 2 == 0 ? left.title(9) : right.title(9));
        assertThat(values).containsOnly("title 9 v1");
        assertThat(left.runs().get() + right.runs().get()).isEqualTo(1);
    }

    @Test
    void staleWindow_servesStaleAtOnce_whileOneRefreshRuns() throws Exception {
        FakeClock clock = new FakeClock();
        Larder larder = Larder.builder().clock(clock)
                .region("titles", r -> r.ttl(Duration.ofMinutes(1)).staleFor(Duration.ofHours(1)))
                .build();
        Catalog catalog = context(larder).getBean(Catalog.class);
        assertThat(catalog.title(1)).isEqualTo("title 1 v1");
        catalog.version("v2");
        clock.advance(Duration.ofMinutes(2));
        assertThat(catalog.title(1)).isEqualTo("title 1 v1");
        await(() -> catalog.title(1).equals("title 1 v2"));
        assertThat(catalog.runs()).hasValue(2);
        assertThat(larder.stats().get("titles").staleHits()).isPositive();
    }

    @Test
    void cacheTags_invalidateTag_missesOnlyTheTaggedEntries() {
        AnnotationConfigApplicationContext context = context(onDisk());
        Catalog catalog = context.getBean(Catalog.class);
        Larder larder = context.getBean(Larder.class);
        catalog.title(1);
        catalog.title(2);
        larder.invalidateTag("item:1");
        catalog.title(1);
        catalog.title(2);
        assertThat(catalog.runs()).hasValue(3);
        larder.invalidateTag("titles");
        catalog.title(1);
        catalog.title(2);
        assertThat(catalog.runs()).hasValue(5);
    }

    @Test
    void invalidateTags_afterTheMethodReturns() {
        Catalog catalog = memory().getBean(Catalog.class);
        catalog.title(1);
        catalog.title(2);
        assertThat(catalog.rename(1, "x")).isEqualTo("x");
        catalog.title(1);
        catalog.title(2);
        assertThat(catalog.runs()).hasValue(3);
    }

    @Test
    void nullResult_isCachedWhenNullValuesAreAllowed() {
        Catalog catalog = context(onDisk()).getBean(Catalog.class);
        assertThat(catalog.nothing("k")).isNull();
        assertThat(catalog.nothing("k")).isNull();
        assertThat(catalog.runs()).hasValue(1);
    }

    @Test
    void nullValuesNotAllowed_aNullLoadIsReturnedButNotCached_andPutOfNullFails() {
        LarderCacheManager manager = new LarderCacheManager(Larder.builder().build());
        open.add(manager.larder());
        manager.setAllowNullValues(false);
        Cache cache = manager.getCache("plain");
        Object none = cache.get("k", () -> null);
        assertThat(none).isNull();
        Object loaded = cache.get("k", () -> "loaded");
        assertThat(loaded).isEqualTo("loaded");
        assertThatThrownBy(() -> cache.put("j", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completableFutureMethods_areCachedThroughRetrieve() throws Exception {
        Catalog catalog = memory().getBean(Catalog.class);
        assertThat(catalog.future("a").get(30, TimeUnit.SECONDS)).isEqualTo("future a v1");
        assertThat(catalog.future("a").get(30, TimeUnit.SECONDS)).isEqualTo("future a v1");
        assertThat(catalog.futureSync("b").get(30, TimeUnit.SECONDS)).isEqualTo("future b v1");
        assertThat(catalog.futureSync("b").get(30, TimeUnit.SECONDS)).isEqualTo("future b v1");
        assertThat(catalog.runs()).hasValue(2);
    }

    @Test
    void loaderException_reachesTheCaller_wrapped_andIsNotCached() {
        LarderCacheManager manager = new LarderCacheManager(Larder.builder().build());
        open.add(manager.larder());
        Cache cache = manager.getCache("plain");
        assertThatThrownBy(() -> cache.get("k", () -> {
            throw new java.io.IOException("boom");
        })).isInstanceOf(Cache.ValueRetrievalException.class).hasRootCauseMessage("boom");
        Object ok = cache.get("k", () -> "ok");
        assertThat(ok).isEqualTo("ok");
    }

    @Test
    void programmaticPutOfARawList_isKeptInMemoryButNeverWrittenUntyped() {
        LarderCacheManager manager = new LarderCacheManager(onDisk());
        open.add(manager.larder());
        LarderCache cache = (LarderCache) manager.getCache("raw");
        cache.put("k", new ArrayList<>(List.of(new Item(1, "t", List.of()))));
        assertThat(cache.get("k")).isNull(); // refused by the codec, logged, not stored
        LarderCache typed = cache.typed(new io.larder.TypeRef<List<Item>>() { }.type());
        typed.put("k", List.of(new Item(1, "t", List.of())));
        Object read = cache.get("k").get();
        assertThat(read).isEqualTo(List.of(new Item(1, "t", List.of())));
    }

    @Test
    void badCacheName_failsWithAClearMessage() {
        LarderCacheManager manager = new LarderCacheManager(Larder.builder().build());
        open.add(manager.larder());
        assertThatThrownBy(() -> manager.getCache("../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Spring cache '../etc'");
    }

    @Test
    void fixedCacheNames_otherNamesHaveNoCache() {
        LarderCacheManager manager = new LarderCacheManager(Larder.builder().build());
        open.add(manager.larder());
        manager.setCacheNames(List.of("a", "b"));
        assertThat(manager.getCacheNames()).containsExactly("a", "b");
        assertThat(manager.getCache("c")).isNull();
    }

    private static BooleanSupplier missesReach(Larder larder, String region, long count) {
        return () -> misses(larder, region) >= count;
    }

    private static long misses(Larder larder, String region) {
        var stats = larder.stats().get(region);
        return stats == null ? 0 : stats.misses();
    }

    private static List<Object> runOnEightThreads(java.util.concurrent.Callable<Object> call)
            throws Exception {
        return runOnEightThreads(i -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<Object> runOnEightThreads(java.util.function.IntFunction<Object> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                futures.add(pool.submit(() -> call.apply(n)));
            }
            List<Object> values = new ArrayList<>();
            for (Future<Object> f : futures) {
                values.add(f.get(120, TimeUnit.SECONDS));
            }
            return values;
        } finally {
            pool.shutdownNow();
        }
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
