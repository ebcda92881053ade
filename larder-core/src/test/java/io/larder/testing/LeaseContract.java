package io.larder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.spi.Store;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-process single-flight through a store's lease, written once for every store whose leases
 * coordinate processes (files, Redis). Two Larders on two store instances over one backing stand
 * for two processes. A holder renews its lease while it loads, so a load longer than many leases
 * keeps its key; a lock nobody renews (its holder died, or its grant was lost on the way back)
 * blocks the others until it runs out, and the next of them takes it over (rather than waiting
 * the ten leases a waiter gives a live holder).
 */
public abstract class LeaseContract {
    /** Short enough to see renewals, long enough for a loaded machine to renew in time. */
    protected static final Duration LEASE = Duration.ofSeconds(1);
    private static final byte[] SECRET = "lease-contract-secret-0123456789".getBytes(UTF_8);

    private Larder one;
    private Larder two;
    private Store rawTwo;

    /** A new, empty backing (a folder, a key prefix) the next {@link #open()} calls share. */
    protected abstract void newBacking() throws Exception;

    /** A store instance over the current backing, as another process would open it. */
    protected abstract Store open();

    @BeforeEach
    void start() throws Exception {
        newBacking();
        one = Larder.builder().store(open()).hmacSecret(SECRET).loadLease(LEASE).build();
        rawTwo = open();
        two = Larder.builder().store(rawTwo).hmacSecret(SECRET).loadLease(LEASE).build();
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
    }

    @Test
    void loadLongerThanManyLeases_keepsItsKey_theOtherProcessWaitsForItsValue() throws Exception {
        Key key = Key.of("lease", "slow");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() ->
                one.get(key, String.class, () -> {
                    loads.incrementAndGet();
                    loading.countDown();
                    Thread.sleep(LEASE.toMillis() * 4); // four leases: only renewals keep it
                    return "from one";
                }));
        assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();

        String second = two.get(key, String.class, () -> {
            loads.incrementAndGet();
            return "from two";
        });

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("from one");
        assertThat(second).isEqualTo("from one");
        assertThat(loads).hasValue(1);
    }

    @Test
    void lockNobodyRenews_blocksTheOthersOnlyUntilItRunsOut_thenTheyTakeItOver() {
        Key key = Key.of("lease", "orphan");
        // A grant whose holder vanished without closing it (killed, or its reply lost).
        Store.Lease orphan = rawTwo.lease(key, LEASE);
        assertThat(orphan.granted()).isTrue();
        AtomicBoolean loadedHoldingTheLease = new AtomicBoolean();

        String value = one.get(key, String.class, () -> {
            // Whether this load took the orphan's lease over once it ran out (after one lease),
            // rather than giving up on a holder it took for alive (after ten) and loading
            // without it: the orphan has lost its grant, and yet nobody else can take the key.
            // Told by the lease, not by the clock, which a busy machine makes slow.
            boolean orphanStillHolds = orphan.renew(LEASE);
            try (Store.Lease probe = rawTwo.lease(key, LEASE)) {
                loadedHoldingTheLease.set(!orphanStillHolds && !probe.granted());
            }
            return "loaded after the orphan's lease";
        });

        assertThat(value).isEqualTo("loaded after the orphan's lease");
        assertThat(loadedHoldingTheLease).as("the waiter took the lapsed lease over").isTrue();
    }

    @Test
    void renew_extendsOnlyTheHoldersGrant() {
        Key key = Key.of("lease", "renew");
        try (Store.Lease held = rawTwo.lease(key, LEASE)) {
            assertThat(held.granted()).isTrue();
            assertThat(held.renew(LEASE)).isTrue();
            Store.Lease other = one.store().lease(key, LEASE);
            assertThat(other.granted()).isFalse();
            assertThat(other.renew(LEASE)).isFalse();
        }
        try (Store.Lease after = one.store().lease(key, LEASE)) {
            assertThat(after.granted()).isTrue();
        }
    }
}
