package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file behind cross-process single-flight; two stores on one root stand for two JVMs. */
class DiskStoreLeaseTest {
    @TempDir
    Path temp;
    private final FakeClock clock = new FakeClock();
    private final Key key = Key.of("posts", 1);
    private DiskStore one;
    private DiskStore two;

    @BeforeEach
    void open() {
        one = open(temp.resolve("cache"));
        two = open(temp.resolve("cache"));
    }

    private DiskStore open(Path root) {
        DiskStore store = DiskStore.builder(root).sweepInBackground(false).build();
        store.bind(new StoreContext(clock, Optional.of("lease-test-secret-0123456789".getBytes())));
        return store;
    }

    @AfterEach
    void close() {
        one.close();
        two.close();
    }

    private Path lockFile() {
        return one.root().resolve("posts").resolve(key.digest().substring(0, 2))
                .resolve(key.digest() + ".lock");
    }

    @Test
    void lease_isGrantedToOneHolderUntilClosed() {
        Store.Lease first = one.lease(key, Duration.ofSeconds(30));
        Store.Lease second = two.lease(key, Duration.ofSeconds(30));

        assertThat(first.granted()).isTrue();
        assertThat(second.granted()).isFalse();
        assertThat(one.lease(Key.of("posts", 2), Duration.ofSeconds(30)).granted()).isTrue();

        first.close();
        assertThat(lockFile()).doesNotExist();
        try (Store.Lease third = two.lease(key, Duration.ofSeconds(30))) {
            assertThat(third.granted()).isTrue();
        }
    }

    @Test
    void expiredLease_ofADeadLoader_isTakenOver_andItsLateCloseKeepsTheNewLock() {
        Store.Lease dead = one.lease(key, Duration.ofSeconds(30));
        assertThat(dead.granted()).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(two.lease(key, Duration.ofSeconds(30)).granted()).isFalse();

        clock.advance(Duration.ofSeconds(2));
        Store.Lease takeover = two.lease(key, Duration.ofSeconds(30));

        assertThat(takeover.granted()).isTrue();
        // the slow loader finishes after all: it must not release the new holder's lock
        dead.close();
        assertThat(lockFile()).exists();
        assertThat(one.lease(key, Duration.ofSeconds(30)).granted()).isFalse();
        takeover.close();
        assertThat(lockFile()).doesNotExist();
    }

    @Test
    void aTornOrForeignLockFile_countsAsExpired() throws Exception {
        Files.createDirectories(lockFile().getParent());
        Files.write(lockFile(), new byte[3]);

        try (Store.Lease lease = one.lease(key, Duration.ofSeconds(30))) {
            assertThat(lease.granted()).isTrue();
        }
    }

    @Test
    void manyThreadsOnTwoStores_exactlyOneIsGranted() throws Exception {
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger granted = new AtomicInteger();
        try {
            for (int t = 0; t < threads; t++) {
                DiskStore store = t % 2 == 0 ? one : two;
                pool.execute(() -> {
                    try {
                        start.await();
                        if (store.lease(key, Duration.ofSeconds(30)).granted()) { // never closed
                            granted.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
            start.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted).hasValue(1);
    }
}
