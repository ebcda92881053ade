package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.testing.ForwardingStore;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Invalidations that race with a load: a value read before an invalidation is never served after
 * the invalidation returned (the guarantee ORM integrations build on: "after commit, fresh").
 */
class InvalidationRaceTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicReference<String> database = new AtomicReference<>("v1");
    private final Key key = Key.of("posts", "1");

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void invalidateTag_appliedWhileLoadStampsNamedTag_entryIsNotCurrent() throws Exception {
        // Regression: "@any" moved after the tag, so a load stamping between the two recorded
        // the tag's new generation for a value read before the invalidation: stale forever.
        SteppingStore store = new SteppingStore();
        Larder larder = Larder.builder().store(store).build();
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> reader = pool.submit(() -> larder.get(key, String.class, () -> {
            String value = database.get();
            Larder.tagCurrentLoad("Post:1");
            read.countDown();
            release.await();
            return value;
        }));
        read.await();
        database.set("v2"); // a writer commits...
        store.afterFirstTag = () -> {
            release.countDown();
            await(reader);
        };
        larder.invalidateTag("Post:1"); // ...then invalidates; the load finishes in between

        assertThat(await(reader)).isEqualTo("v1"); // it asked before the commit
        assertThat(larder.get(key, String.class, database::get)).isEqualTo("v2");
    }

    @Test
    void get_afterInvalidation_doesNotTakeTheValueOfALoadStartedBefore() throws Exception {
        // Regression: a caller arriving after an invalidation waited for a load that had read
        // the old data and was handed that old value. It still waits (one load per key at a
        // time), then loads again.
        Larder larder = Larder.builder().build();
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> first = pool.submit(() -> larder.get(key, String.class,
                Options.tags("Post:1"), () -> {
                    String value = database.get();
                    read.countDown();
                    release.await();
                    return value;
                }));
        read.await();
        database.set("v2");
        larder.invalidateTag("Post:1");

        Future<String> second = pool.submit(() -> larder.get(key, String.class,
                Options.tags("Post:1"), database::get));
        release.countDown();
        assertThat(await(first)).isEqualTo("v1");
        assertThat(await(second)).isEqualTo("v2");
        assertThat(larder.get(key, String.class, Options.tags("Post:1"), () -> "v3"))
                .isEqualTo("v2");
    }

    @Test
    void get_withoutInvalidation_joinsRunningLoad() throws Exception {
        Larder larder = Larder.builder().build();
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var loads = new java.util.concurrent.atomic.AtomicInteger();
        Future<String> first = pool.submit(() -> larder.get(key, String.class, () -> {
            loads.incrementAndGet();
            read.countDown();
            release.await();
            return "v1";
        }));
        read.await();
        Future<String> second = pool.submit(() -> larder.get(key, String.class, () -> {
            loads.incrementAndGet();
            return "other";
        }));
        while (larder.stats().get("posts").misses() < 2) {
            Thread.onSpinWait();
        }
        release.countDown();
        assertThat(await(first)).isEqualTo("v1");
        assertThat(await(second)).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    /** Fails the test rather than hanging if the future never completes. */
    private static <T> T await(Future<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A memory store that applies tag invalidations one by one, with a hook after the first. */
    private static final class SteppingStore extends ForwardingStore {
        volatile Runnable afterFirstTag = () -> { };

        @Override
        public void invalidateTags(Collection<String> tags) {
            boolean first = true;
            for (String tag : tags) {
                delegate().invalidateTags(List.of(tag));
                if (first) {
                    first = false;
                    Runnable hook = afterFirstTag;
                    afterFirstTag = () -> { };
                    hook.run();
                }
            }
        }
    }
}
