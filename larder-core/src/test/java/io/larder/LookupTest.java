package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.store.MemoryStore;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The integration API: outcomes, sources with their own refresh, uncached values, tag capture. */
class LookupTest {
    private static final Key KEY = Key.of("pages", "/en/");
    private final FakeClock clock = new FakeClock();
    private final Queue<Runnable> refreshes = new ArrayDeque<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Larder larder = Larder.builder()
            .store(MemoryStore.builder().maximumSize(100).build())
            .clock(clock)
            .ttl(Duration.ofMinutes(1))
            .staleFor(Duration.ofHours(1))
            .refreshExecutor(refreshes::add)
            .build();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        larder.close();
    }

    private Lookup<String> lookup(Source<String> source) {
        return larder.lookup(KEY, String.class, Options.NONE, source);
    }

    @Test
    void lookup_saysLoadedThenHitThenStale() {
        assertThat(lookup(Source.of(() -> "v1"))).isEqualTo(new Lookup<>("v1", Outcome.LOADED));
        assertThat(lookup(Source.of(() -> "v2"))).isEqualTo(new Lookup<>("v1", Outcome.HIT));

        clock.advance(Duration.ofMinutes(2));

        assertThat(lookup(Source.of(() -> "v2"))).isEqualTo(new Lookup<>("v1", Outcome.STALE));
    }

    @Test
    void lookupStored_missing_loadsNothingAndCountsNoMiss() {
        AtomicInteger loads = new AtomicInteger();

        assertThat(larder.lookupStored(KEY, String.class, Options.NONE,
                Source.of(() -> "v" + loads.incrementAndGet()))).isNull();

        assertThat(loads).hasValue(0);
        assertThat(larder.stats().get("pages")).satisfiesAnyOf(
                stats -> assertThat(stats).isNull(),
                stats -> assertThat(stats.misses()).isZero());
    }

    @Test
    void lookupStored_servesAHitThenRefreshesAStaleEntryInTheBackground() {
        lookup(Source.of(() -> "v1"));

        assertThat(larder.lookupStored(KEY, String.class, Options.NONE, Source.of(() -> "v2")))
                .extracting(Snapshot::value, Snapshot::outcome).containsExactly("v1", Outcome.HIT);
        assertThat(refreshes).isEmpty();

        clock.advance(Duration.ofMinutes(2));

        assertThat(larder.lookupStored(KEY, String.class, Options.NONE, Source.of(() -> "v2")))
                .extracting(Snapshot::value, Snapshot::outcome)
                .containsExactly("v1", Outcome.STALE);
        assertThat(refreshes).hasSize(1);
        refreshes.poll().run();
        assertThat(lookup(Source.of(() -> "v3"))).isEqualTo(new Lookup<>("v2", Outcome.HIT));
        assertThat(larder.stats().get("pages").hits()).isEqualTo(2);
        assertThat(larder.stats().get("pages").staleHits()).isEqualTo(1);
    }

    @Test
    void lookup_waitingForAnotherCallersLoad_saysJoined() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Lookup<String>> first = pool.submit(() -> lookup(Source.of(() -> {
            loading.countDown();
            release.await();
            return "theirs";
        })));
        loading.await();
        Future<Lookup<String>> second = pool.submit(() -> lookup(Source.of(() -> "mine")));
        awaitWaiting(second);
        release.countDown();

        assertThat(first.get()).isEqualTo(new Lookup<>("theirs", Outcome.LOADED));
        assertThat(second.get()).isEqualTo(new Lookup<>("theirs", Outcome.JOINED));
    }

    @Test
    void firstLoad_runsOnTheCallersThread_refreshOnTheRefresher() throws Exception {
        Thread caller = Thread.currentThread();
        Thread[] loadedOn = new Thread[2];
        Source<String> source = new Source<>() {
            @Override
            public Loaded<String> load() {
                loadedOn[0] = Thread.currentThread();
                return Loaded.of("from the request");
            }

            @Override
            public Loaded<String> refresh() {
                loadedOn[1] = Thread.currentThread();
                return Loaded.of("refreshed");
            }
        };
        lookup(source);
        clock.advance(Duration.ofMinutes(2));
        assertThat(lookup(source).value()).isEqualTo("from the request");
        Thread refresher = new Thread(refreshes.remove());
        refresher.start();
        refresher.join();

        assertThat(loadedOn).containsExactly(caller, refresher);
        assertThat(lookup(source)).isEqualTo(new Lookup<>("refreshed", Outcome.HIT));
    }

    @Test
    void uncached_isTheLoadingCallersAlone_andWaitersLoadTheirOwn() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        Future<Lookup<String>> first = pool.submit(() -> lookup(() -> {
            loads.incrementAndGet();
            loading.countDown();
            release.await();
            return Loaded.uncached("private to the first");
        }));
        loading.await();
        Future<Lookup<String>> second = pool.submit(() -> lookup(() -> {
            loads.incrementAndGet();
            return Loaded.uncached("private to the second");
        }));
        awaitWaiting(second);
        release.countDown();

        assertThat(first.get().value()).isEqualTo("private to the first");
        assertThat(second.get()).isEqualTo(new Lookup<>("private to the second", Outcome.LOADED));
        assertThat(loads).hasValue(2);
        assertThat(larder.getIfPresent(KEY, String.class)).isEmpty();
    }

    @Test
    void uncachedRefresh_keepsTheStaleEntry() {
        lookup(Source.of(() -> "v1"));
        clock.advance(Duration.ofMinutes(2));
        lookup(new Source<>() {
            @Override
            public Loaded<String> load() {
                return Loaded.of("never");
            }

            @Override
            public Loaded<String> refresh() {
                return Loaded.uncached("refused");
            }
        });
        refreshes.remove().run();

        assertThat(lookup(Source.of(() -> "v2"))).isEqualTo(new Lookup<>("v1", Outcome.STALE));
    }

    @Test
    void tagCapture_carriesWhatARenderReadIntoALoadElsewhere() {
        Key query = Key.of("posts", "home");
        Map<String, Long> read;
        Set<String> named;
        try (TagCapture capture = TagCapture.begin()) {
            larder.get(query, String.class, Options.tags("post:1"), () -> "rows");
            Larder.tagCurrentLoad("author:7");
            read = capture.read();
            named = capture.named();
        }
        assertThat(read).containsKeys("post:1", "@region:posts");
        assertThat(named).containsExactly("author:7");
        Source<String> replayed = () -> {
            TagCapture.replay(read, named); // the render happened on another thread
            return Loaded.of("page");
        };
        lookup(replayed);
        assertThat(lookup(replayed).outcome()).isEqualTo(Outcome.HIT);

        larder.invalidateTag("author:7");
        assertThat(lookup(replayed).outcome()).isEqualTo(Outcome.LOADED);
        larder.invalidateTag("post:1");
        assertThat(lookup(Source.of(() -> "after post:1")).value()).isEqualTo("after post:1");
    }

    @Test
    void tagCapture_insideALoad_passesItsTagsOnToTheLoad() {
        lookup(() -> {
            try (TagCapture capture = TagCapture.begin()) {
                Larder.tagCurrentLoad("post:9");
            }
            return Loaded.of("page");
        });

        larder.invalidateTag("post:9");

        assertThat(lookup(Source.of(() -> "new")).outcome()).isEqualTo(Outcome.LOADED);
    }

    @Test
    void regionInvalidation_touchesWhatWasBuiltFromThatRegion() {
        Invalidation region = new Invalidation(Invalidation.Kind.REGION, "posts");

        assertThat(region.touches("pages", List.of("@region:posts"))).isTrue();
        assertThat(region.touches("pages", List.of("@region:comments"))).isFalse();
        assertThat(region.touches("posts", List.of())).isTrue();
    }

    /** Waits until the thread running {@code call} is parked waiting for another load. */
    private static void awaitWaiting(Future<?> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!call.isDone() && System.nanoTime() < deadline) {
            if (Thread.getAllStackTraces().values().stream().anyMatch(LookupTest::waiting)) {
                return;
            }
            Thread.sleep(1);
        }
    }

    private static boolean waiting(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals(Flight.class.getName())
                    && frame.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }
}
