package io.larder.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Invalidation;
import io.larder.Key;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The warming queue the page caches share: each page warmed once at start, re-warmed once however
 * many invalidations touch it while it waits, failures counted, {@link WarmQueue#awaitIdle} true
 * only when nothing is queued or running. Warming is held on latches where a test needs it to be
 * in progress; no test depends on how fast the threads run.
 */
class WarmQueueTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Key HOME = Key.of("page", "/");
    private static final Key POST = Key.of("page", "/posts/1");
    private static final Key OTHER = Key.of("other", "/");

    /** Calls per key; the page warmed first waits on {@code gate} once {@code hold} is set. */
    private final Map<Key, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean hold;
    private final Map<Key, String> refusals = new ConcurrentHashMap<>();
    private WarmQueue<String> queue;

    private WarmQueue<String> queue(int concurrency) {
        queue = new WarmQueue<>("test-warm", concurrency, Double.POSITIVE_INFINITY, this::warm);
        return queue;
    }

    private String warm(Key key, String page) throws Exception {
        assertThat(page).isEqualTo(key.parts().get(0));
        calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (hold) {
            hold = false;
            entered.countDown();
            gate.await();
        }
        if ("boom".equals(refusals.get(key))) {
            throw new IllegalStateException("boom");
        }
        return refusals.get(key);
    }

    /** Starts {@code q} and returns once its first page is being warmed, held on the gate. */
    private void startHoldingTheFirstPage(WarmQueue<String> q) throws InterruptedException {
        hold = true;
        q.start();
        assertThat(entered.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    /** One thread, two pages, started: the first being warmed (held), the other waiting. */
    private WarmQueue<String> twoPagesWithTheFirstHeld() throws InterruptedException {
        WarmQueue<String> q = queue(1);
        q.add(HOME, "/", Set.of());
        q.add(POST, "/posts/1", Set.of());
        startHoldingTheFirstPage(q);
        return q;
    }

    private int calls(Key key) {
        AtomicInteger n = calls.get(key);
        return n == null ? 0 : n.get();
    }

    private static String pathOf(Key key) {
        return key.parts().get(0);
    }

    @AfterEach
    void stop() {
        gate.countDown();
        if (queue != null) {
            queue.stop();
        }
    }

    @Test
    void start_warmsEveryPageOnce_andAwaitIdleWaitsForAll() throws Exception {
        WarmQueue<String> q = queue(2);
        for (Key key : List.of(HOME, POST, OTHER)) {
            q.add(key, pathOf(key), Set.of());
        }
        q.add(HOME, "/", Set.of()); // the same page twice is one page

        q.start();

        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(q.size()).isEqualTo(3);
        assertThat(calls).containsOnlyKeys(HOME, POST, OTHER);
        assertThat(calls(HOME) + calls(POST) + calls(OTHER)).isEqualTo(3);
        assertThat(q.warmed()).isEqualTo(3);
        assertThat(q.failed()).isZero();
    }

    @Test
    void invalidationsWhileAPageWaits_queueItOnce() throws Exception {
        WarmQueue<String> q = queue(1);
        q.add(HOME, "/", Set.of("posts"));
        startHoldingTheFirstPage(q);

        for (int i = 0; i < 5; i++) {
            q.onInvalidation(new Invalidation(Invalidation.Kind.TAG, "posts"));
        }
        gate.countDown();

        assertThat(q.awaitIdle(LONG)).isTrue();
        // Once at start, then once for all five invalidations (it was queued, not running).
        assertThat(calls(HOME)).isEqualTo(2);
        assertThat(q.warmed()).isEqualTo(2);
    }

    @Test
    void awaitIdle_isFalseWhileAPageIsBeingWarmed_andTrueOnceItIsDone() throws Exception {
        WarmQueue<String> q = twoPagesWithTheFirstHeld();

        assertThat(q.awaitIdle(Duration.ZERO)).isFalse();
        gate.countDown();

        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(calls(HOME)).isEqualTo(1);
        assertThat(calls(POST)).isEqualTo(1);
    }

    @Test
    void refusedAndFailedPages_areCountedAsFailures_andTheOthersAsWarmed() throws Exception {
        WarmQueue<String> q = queue(2);
        q.add(HOME, "/", Set.of());
        q.add(POST, "/posts/1", Set.of());
        q.add(OTHER, "/", Set.of());
        refusals.put(HOME, "status 500");
        refusals.put(POST, "boom");

        q.start();

        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(q.warmed()).isEqualTo(1);
        assertThat(q.failed()).isEqualTo(2);
    }

    @Test
    void invalidation_rewarmsOnlyThePagesItTouches_byKeyRegionOrLearnedTag() throws Exception {
        WarmQueue<String> q = queue(2);
        q.add(HOME, "/", Set.of("posts"));
        q.add(POST, "/posts/1", Set.of());
        q.add(OTHER, "/", Set.of());
        q.start();
        assertThat(q.awaitIdle(LONG)).isTrue();

        q.onInvalidation(new Invalidation(Invalidation.Kind.TAG, "posts"));
        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(List.of(calls(HOME), calls(POST), calls(OTHER))).containsExactly(2, 1, 1);

        q.learn(POST, Set.of("post:1"), List.of("author:7"));
        q.learn(Key.of("page", "/not-warmed"), Set.of("post:1"), List.of()); // no page: nothing
        q.onInvalidation(new Invalidation(Invalidation.Kind.TAG, "author:7"));
        q.onInvalidation(new Invalidation(Invalidation.Kind.TAG, "post:99"));
        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(List.of(calls(HOME), calls(POST), calls(OTHER))).containsExactly(2, 2, 1);

        q.onInvalidation(new Invalidation(Invalidation.Kind.KEY, OTHER.encode()));
        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(List.of(calls(HOME), calls(POST), calls(OTHER))).containsExactly(2, 2, 2);

        q.onInvalidation(new Invalidation(Invalidation.Kind.REGION, "page"));
        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(List.of(calls(HOME), calls(POST), calls(OTHER))).containsExactly(3, 3, 2);
        assertThat(calls).hasSize(3);
    }

    @Test
    void invalidationBeforeStart_warmsNothing() throws Exception {
        WarmQueue<String> q = queue(1);
        q.add(HOME, "/", Set.of("posts"));

        q.onInvalidation(new Invalidation(Invalidation.Kind.TAG, "posts"));

        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(calls).isEmpty();
        assertThat(q.running()).isFalse();
    }

    @Test
    void stop_dropsWaitingPages_soAwaitIdleReturns() throws Exception {
        WarmQueue<String> q = twoPagesWithTheFirstHeld();

        q.stop(); // interrupts the page held on the gate; the other one never starts

        assertThat(q.awaitIdle(LONG)).isTrue();
        assertThat(calls).hasSize(1);
        assertThat(q.running()).isFalse();
    }

    @Test
    void badSettings_failNamingTheValue() {
        assertThatThrownBy(() -> new WarmQueue<String>("w", 0, 1, (k, p) -> null))
                .hasMessage("concurrency must be positive, was 0");
        assertThatThrownBy(() -> new WarmQueue<String>("w", 1, 0, (k, p) -> null))
                .hasMessage("perSecond must be positive, was 0.0");
    }
}
