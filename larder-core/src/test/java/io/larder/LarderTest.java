package io.larder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.store.MemoryStore;
import io.larder.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LarderTest {
    private final FakeClock clock = new FakeClock();
    /** Background refreshes wait here until the test runs them: nothing runs behind its back. */
    private final Queue<Runnable> refreshes = new ArrayDeque<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    private Larder larder(Duration ttl, Duration staleFor) {
        return Larder.builder()
                .store(MemoryStore.builder().maximumSize(1_000).build())
                .clock(clock)
                .ttl(ttl)
                .staleFor(staleFor)
                .refreshExecutor(task -> {
                    synchronized (refreshes) {
                        refreshes.add(task);
                    }
                })
                .build();
    }

    private int runRefreshes() {
        int count = 0;
        while (true) {
            Runnable task;
            synchronized (refreshes) {
                task = refreshes.poll();
            }
            if (task == null) {
                return count;
            }
            task.run();
            count++;
        }
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void get_64ThreadsMissOneKey_loaderRunsOnceAndAllGetItsValue() throws Exception {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CyclicBarrier start = new CyclicBarrier(64);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return larder.get(Key.of("posts", "hot"), String.class, () -> {
                    loads.incrementAndGet();
                    release.await(); // hold the load open so that every thread piles up behind it
                    return "the value";
                });
            }));
        }
        // Let every thread reach the cache before the load may finish.
        while (larder.stats().getOrDefault("posts", emptyStats()).misses() < 64) {
            Thread.onSpinWait();
        }
        release.countDown();

        for (Future<String> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("the value");
        }
        assertThat(loads).hasValue(1);
    }

    private static RegionStats emptyStats() {
        return new RegionStats("posts", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void get_loaderThrows_everyWaiterGetsTheExceptionAndTheNextCallLoadsAgain() throws Exception {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("database down");
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> larder.get(Key.of("posts", 1), String.class, () -> {
                loads.incrementAndGet();
                release.await();
                throw failure;
            })));
        }
        while (larder.stats().getOrDefault("posts", emptyStats()).misses() < 8) {
            Thread.onSpinWait();
        }
        release.countDown();

        for (Future<String> result : results) {
            assertThatThrownBy(() -> result.get(60, TimeUnit.SECONDS)).hasCause(failure);
        }
        assertThat(loads).hasValue(1);
        assertThat(larder.get(Key.of("posts", 1), String.class, () -> "recovered"))
                .isEqualTo("recovered");
        assertThat(larder.stats().get("posts").loadFailures()).isEqualTo(1);
    }

    @Test
    void get_checkedException_isWrappedWithItsCause() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        IOException failure = new IOException("disk");

        assertThatThrownBy(() -> larder.get(Key.of("posts", 1), String.class, () -> {
            throw failure;
        })).isInstanceOf(LoadException.class).hasCause(failure);
    }

    @Test
    void get_insideStaleWindow_servesStaleAtOnceAndRefreshesOnce() {
        Larder larder = larder(Duration.ofMinutes(1), Duration.ofMinutes(10));
        AtomicInteger loads = new AtomicInteger();
        Loader<String> loader = () -> "v" + loads.incrementAndGet();
        larder.get(Key.of("posts", 1), String.class, loader);
        clock.advance(Duration.ofMinutes(2));

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seen.add(larder.get(Key.of("posts", 1), String.class, loader));
        }

        assertThat(seen).containsOnly("v1");
        assertThat(loads).hasValue(1); // no reader waited for a load
        assertThat(runRefreshes()).isEqualTo(1);
        assertThat(loads).hasValue(2);
        assertThat(larder.get(Key.of("posts", 1), String.class, loader)).isEqualTo("v2");
        assertThat(larder.stats().get("posts").staleHits()).isEqualTo(20);
    }

    @Test
    void get_afterStaleWindow_loadsSynchronously() {
        Larder larder = larder(Duration.ofMinutes(1), Duration.ofMinutes(10));
        AtomicInteger loads = new AtomicInteger();
        Loader<String> loader = () -> "v" + loads.incrementAndGet();
        larder.get(Key.of("posts", 1), String.class, loader);
        clock.advance(Duration.ofMinutes(12));

        assertThat(larder.get(Key.of("posts", 1), String.class, loader)).isEqualTo("v2");
        assertThat(runRefreshes()).isZero();
    }

    @Test
    void get_failingRefresh_keepsServingStaleUntilTheWindowEnds() {
        Larder larder = larder(Duration.ofMinutes(1), Duration.ofMinutes(10));
        larder.get(Key.of("posts", 1), String.class, () -> "good");
        clock.advance(Duration.ofMinutes(2));
        Loader<String> failing = () -> {
            throw new IllegalStateException("database down");
        };

        assertThat(larder.get(Key.of("posts", 1), String.class, failing)).isEqualTo("good");
        assertThat(runRefreshes()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(larder.get(Key.of("posts", 1), String.class, failing)).isEqualTo("good");
        runRefreshes();

        assertThat(larder.stats().get("posts").loadFailures()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> larder.get(Key.of("posts", 1), String.class, failing))
                .hasMessage("database down");
    }

    @Test
    void get_failedRefresh_isNotRetriedOnEveryReadWithinTheBackoff() {
        Larder larder = larder(Duration.ofMinutes(1), Duration.ofMinutes(10));
        larder.get(Key.of("posts", 1), String.class, () -> "good");
        clock.advance(Duration.ofMinutes(2));
        AtomicInteger attempts = new AtomicInteger();
        Loader<String> failing = () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("database down");
        };

        for (int i = 0; i < 10; i++) {
            larder.get(Key.of("posts", 1), String.class, failing);
            runRefreshes();
        }

        assertThat(attempts).hasValue(1);
    }

    @Test
    void invalidateTag_missesTaggedEntriesOnly_andRegionsDoNotInterfere() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        larder.get(Key.of("posts", 42), String.class, Options.tags("post:42", "posts"),
                () -> "post 42");
        larder.get(Key.of("posts", 43), String.class, Options.tags("post:43", "posts"),
                () -> "post 43");
        larder.get(Key.of("sidebar", "tags"), String.class, () -> "cloud");
        larder.get(Key.of("comments", 42), String.class, () -> "same parts, other region");

        larder.invalidateTag("post:42");

        assertThat(larder.get(Key.of("posts", 42), String.class, Options.tags("post:42"),
                () -> "reloaded"))
                .isEqualTo("reloaded");
        assertThat(larder.get(Key.of("posts", 43), String.class, () -> "x")).isEqualTo("post 43");
        assertThat(larder.get(Key.of("sidebar", "tags"), String.class, () -> "x"))
                .isEqualTo("cloud");
        assertThat(larder.get(Key.of("comments", 42), String.class, () -> "x"))
                .isEqualTo("same parts, other region");

        larder.invalidateTag("posts");
        assertThat(larder.get(Key.of("posts", 43), String.class, () -> "reloaded 43"))
                .isEqualTo("reloaded 43");
        assertThat(larder.get(Key.of("sidebar", "tags"), String.class, () -> "x"))
                .isEqualTo("cloud");
    }

    @Test
    void invalidateTag_duringALoad_theLoadedValueIsNotServedAfterwards() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        String first = larder.get(Key.of("posts", 1), String.class, Options.tags("posts"), () -> {
            larder.invalidateTag("posts"); // an edit commits while the old value is being read
            return "old";
        });

        assertThat(first).isEqualTo("old");
        assertThat(larder.get(Key.of("posts", 1), String.class, Options.tags("posts"), () -> "new"))
                .isEqualTo("new");
    }

    @Test
    void invalidateKey_duringALoad_theLoadedValueIsNotStored() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        larder.get(Key.of("posts", 1), String.class, () -> {
            larder.invalidate(Key.of("posts", 1));
            return "old";
        });

        assertThat(larder.get(Key.of("posts", 1), String.class, () -> "new")).isEqualTo("new");
    }

    @Test
    void nestedLoads_outerEntryCarriesTheTagsOfWhatItRead() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        Loader<String> fragment = () -> "<ul>" + larder.get(Key.of("home-posts", "en", 1),
                String.class, Options.tags("posts"), () -> "<li>post</li>") + "</ul>";
        assertThat(larder.get(Key.of("fragments", "home"), String.class, fragment))
                .isEqualTo("<ul><li>post</li></ul>");

        larder.invalidateTag("posts");

        AtomicInteger outerLoads = new AtomicInteger();
        larder.get(Key.of("fragments", "home"), String.class, () -> {
            outerLoads.incrementAndGet();
            return fragment.load();
        });
        assertThat(outerLoads).hasValue(1);
    }

    @Test
    void tagCurrentLoad_namedTagsInvalidateTheEntry() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        larder.get(Key.of("posts", 1), String.class, () -> {
            Larder.tagCurrentLoad("Post:1"); // as an ORM integration does for each entity it loads
            return "post one";
        });

        larder.invalidateTag("Post:1");

        assertThat(larder.get(Key.of("posts", 1), String.class, () -> "reloaded"))
                .isEqualTo("reloaded");
    }

    @Test
    void tagCurrentLoad_withAnInvalidationDuringTheLoad_doesNotKeepTheOldValue() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        larder.get(Key.of("posts", 1), String.class, () -> {
            String read = "old"; // read from the database before the writer commits
            larder.invalidateTag("Post:1"); // the writer commits and invalidates
            Larder.tagCurrentLoad("Post:1"); // the tag is only named after the read
            return read;
        });

        assertThat(larder.get(Key.of("posts", 1), String.class, () -> "new")).isEqualTo("new");
    }

    @Test
    void get_loaderAskingForItsOwnKey_failsInsteadOfHanging() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        Key key = Key.of("posts", 1);

        assertThatThrownBy(() -> larder.get(key, String.class,
                () -> larder.get(key, String.class, () -> "inner")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("asked for");
    }

    @Test
    void get_twoLoadersWaitingForEachOthersKey_bothFinishInsteadOfDeadlocking() throws Exception {
        // Regression: fragments nested in opposite orders by two templates (X inside Y, Y inside
        // X) deadlocked when both missed at once.
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        CyclicBarrier bothInside = new CyclicBarrier(2);
        Future<String> xThenY = pool.submit(() -> larder.get(Key.of("fragments", "x"),
                String.class, () -> {
            bothInside.await(60, TimeUnit.SECONDS);
            return "x(" + larder.get(Key.of("fragments", "y"), String.class, () -> "y-inner") + ")";
        }));
        Future<String> yThenX = pool.submit(() -> larder.get(Key.of("fragments", "y"),
                String.class, () -> {
            bothInside.await(60, TimeUnit.SECONDS);
            return "y(" + larder.get(Key.of("fragments", "x"), String.class, () -> "x-inner") + ")";
        }));

        String x = xThenY.get(60, TimeUnit.SECONDS);
        String y = yThenX.get(60, TimeUnit.SECONDS);

        assertThat(x).startsWith("x(");
        assertThat(y).startsWith("y(");
    }

    @Test
    void getAll_loadsOnlyMissingKeysInOneBulkCall() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        larder.put(Key.of("posts", 1), "cached one");
        larder.put(Key.of("posts", 3), "cached three");
        List<Set<Key>> bulkCalls = new ArrayList<>();

        Map<Key, String> values = larder.getAll(
                List.of(Key.of("posts", 1), Key.of("posts", 2), Key.of("posts", 3),
                        Key.of("posts", 4)),
                String.class, Options.NONE, keys -> {
                    bulkCalls.add(keys);
                    Map<Key, String> loaded = new HashMap<>();
                    keys.forEach(k -> loaded.put(k, "loaded " + k.parts().get(0)));
                    return loaded;
                });

        assertThat(bulkCalls).containsExactly(Set.of(Key.of("posts", 2), Key.of("posts", 4)));
        assertThat(values).containsExactly(
                Map.entry(Key.of("posts", 1), "cached one"),
                Map.entry(Key.of("posts", 2), "loaded 2"),
                Map.entry(Key.of("posts", 3), "cached three"),
                Map.entry(Key.of("posts", 4), "loaded 4"));
        assertThat(larder.get(Key.of("posts", 4), String.class, () -> "x")).isEqualTo("loaded 4");
    }

    @Test
    void getAll_keyTheBulkLoaderSkips_isAbsent_andASingleGetStillLoadsIt() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);

        Map<Key, String> values = larder.getAll(List.of(Key.of("posts", 1), Key.of("posts", 2)),
                String.class, Options.NONE, keys -> Map.of(Key.of("posts", 1), "one"));

        assertThat(values).containsOnlyKeys(Key.of("posts", 1));
        assertThat(larder.get(Key.of("posts", 2), String.class, () -> "two")).isEqualTo("two");
    }

    @Test
    void regions_haveTheirOwnTtl() {
        Larder larder = Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .clock(clock).ttl(Duration.ofMinutes(5))
                .region("short", r -> r.ttl(Duration.ofSeconds(10)))
                .build();
        larder.get(Key.of("short", 1), String.class, () -> "s1");
        larder.get(Key.of("long", 1), String.class, () -> "l1");
        clock.advance(Duration.ofSeconds(30));

        assertThat(larder.get(Key.of("short", 1), String.class, () -> "s2")).isEqualTo("s2");
        assertThat(larder.get(Key.of("long", 1), String.class, () -> "l2")).isEqualTo("l1");
        assertThat(larder.region("short").ttl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void earlyRefresh_refreshesAHotKeyBeforeItExpires() {
        Larder larder = Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .clock(clock).refreshExecutor(Runnable::run)
                .region("hot", r -> r.ttl(Duration.ofSeconds(60)).earlyRefresh(1.0))
                .build();
        AtomicInteger loads = new AtomicInteger();
        Loader<String> slow = () -> {
            clock.advance(Duration.ofSeconds(5)); // the load takes 5 s of (fake) time
            return "v" + loads.incrementAndGet();
        };
        larder.get(Key.of("hot", 1), String.class, slow);
        clock.advance(Duration.ofSeconds(59)); // one second before expiry, with a 5 s load

        for (int i = 0; i < 200 && loads.get() == 1; i++) {
            larder.get(Key.of("hot", 1), String.class, slow);
        }

        assertThat(loads.get()).isEqualTo(2);
    }

    @Test
    void builder_badValues_failFastNamingTheValue() {
        assertThatThrownBy(() -> Larder.builder().ttl(Duration.ofSeconds(-1)))
                .hasMessage("ttl must be positive, was PT-1S");
        assertThatThrownBy(() -> Larder.builder().ttl(Duration.ofSeconds(1))
                .ttl(Duration.ofSeconds(2)))
                .hasMessage("ttl was already set");
        assertThatThrownBy(() -> Region.builder("posts").staleFor(Duration.ofMinutes(5))
                .staleFor(Duration.ofMinutes(1)))
                .hasMessage("staleFor was already set to PT5M");
        assertThatThrownBy(() -> Key.of("../etc", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.tags("@region:posts"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidationListeners_hearEveryInvalidation() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        List<Invalidation> heard = new ArrayList<>();
        larder.onInvalidation(heard::add);

        larder.invalidateTag("posts");
        larder.invalidateRegion("sidebar");
        larder.invalidate(Key.of("posts", 1));

        assertThat(heard).containsExactly(new Invalidation(Invalidation.Kind.TAG, "posts"),
                new Invalidation(Invalidation.Kind.REGION, "sidebar"),
                new Invalidation(Invalidation.Kind.KEY, Key.of("posts", 1).encode()));
    }

    @Test
    void trace_recordsEachRegionUsedWithItsOutcome() {
        Larder larder = larder(Duration.ofMinutes(5), Duration.ZERO);
        try (Trace trace = Trace.begin()) {
            larder.get(Key.of("posts", 1), String.class, () -> "v");
            larder.get(Key.of("posts", 1), String.class, () -> "v");

            assertThat(trace.spans()).extracting(Trace.Span::name, Trace.Span::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("posts", "miss"),
                            org.assertj.core.groups.Tuple.tuple("posts", "hit"));
        }
    }
}
