package io.larder.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.testing.FakeClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    private static final int VARIANTS = 7;

    /**
     * Pebble's own tag renders inside {@code ConcurrentHashMap.computeIfAbsent}, so a nested block
     * whose key lands in the bin being computed throws "Recursive update" at random.
     */
    @Test
    void engines300x40NestedBlocks_renderConcurrentlyWithTheRightOutputAndNoError()
            throws Exception {
        try (Larder larder = Larder.builder().clock(new FakeClock()).build()) {
            List<Pages> engines = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                engines.add(new Pages(larder));
            }
            List<String> expected = new ArrayList<>();
            Pages reference = new Pages(Larder.builder().build());
            for (int n = 0; n < VARIANTS; n++) {
                expected.add(reference.renderUncached("deep.peb", Map.of("n", n)));
            }
            assertThat(expected.get(3)).startsWith("<0>3<1>3").contains("<39>3</39>")
                    .endsWith("</1></0>");

            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> renders = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < engines.size(); i++) {
                        Pages pages = engines.get(i);
                        int n = i % VARIANTS;
                        renders.add(pool.submit(() -> assertThat(pages.render("deep.peb",
                                Map.of("n", n))).isEqualTo(expected.get(n))));
                    }
                }
                for (Future<?> render : renders) {
                    render.get(60, TimeUnit.SECONDS); // rethrows any render's error
                }
            } finally {
                pool.shutdownNow();
            }
            int innermost = engines.stream().mapToInt(p -> p.probe.count("deep")).sum();
            assertThat(innermost).isEqualTo(VARIANTS);
            assertThat(larder.stats().get("fragment.d39").loads()).isEqualTo(VARIANTS);
        }
    }

    @Test
    void threads32MissTheSameFragmentAtOnce_theBodyRendersOnce() throws Exception {
        try (Larder larder = Larder.builder().build()) {
            Pages pages = new Pages(larder);
            int threads = 32;
            List<Thread> workers = new ArrayList<>();
            AtomicInteger arrived = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<String> outputs = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            // The one body that renders holds until every other thread waits for it.
            pages.probe.onCount = () -> awaitOthersWaiting(workers, arrived, threads);
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        arrived.incrementAndGet();
                        outputs.add(pages.render("simple.peb", Map.of("who", "all")));
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                });
                workers.add(worker);
            }
            workers.forEach(Thread::start);
            start.countDown();
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            }

            assertThat(errors).isEmpty();
            assertThat(outputs).hasSize(threads).containsOnly("<p>hello all</p>\n");
            assertThat(pages.probe.count("simple")).isEqualTo(1);
        }
    }

    private static void awaitOthersWaiting(List<Thread> workers, AtomicInteger arrived, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean allWaiting = arrived.get() == n && workers.stream()
                    .filter(t -> t != Thread.currentThread())
                    .allMatch(t -> t.getState() == Thread.State.WAITING
                            || t.getState() == Thread.State.TIMED_WAITING);
            if (allWaiting) {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
