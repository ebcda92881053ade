package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import io.larder.Larder;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.FakeClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What RedisStore adds to the contract: authentication, TTLs, the change channel, leases,
 * start-up without Redis.
 */
class RedisStoreTest {
    private static final byte[] SECRET =
            "redis-store-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Duration PATIENT = Duration.ofSeconds(5);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer server;
    private static RedisClient rawClient;
    private static StatefulRedisConnection<String, String> raw;

    private final FakeClock clock = new FakeClock();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String prefix = "s" + PREFIXES.incrementAndGet() + ":";

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        rawClient = RedisClient.create(server.uri());
        raw = rawClient.connect();
    }

    @AfterAll
    static void stopRedis() {
        if (rawClient != null) {
            rawClient.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private RedisStore store(byte[] secret) {
        RedisStore store = RedisStore.builder(server.uri()).prefix(prefix)
                .commandTimeout(PATIENT).connectTimeout(PATIENT).build();
        store.bind(new StoreContext(clock, Optional.of(secret)));
        closeables.add(store);
        RedisServer.awaitReady(store);
        return store;
    }

    private StoredEntry entry(String value, long ttlMillis) {
        long now = clock.millis();
        return new StoredEntry(Payload.ofValue(value, String.class, JsonCodec.standard()), now,
                now + ttlMillis, now + ttlMillis, 0, List.of(), new long[0]);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            RedisServer.sleep(5);
        }
    }

    @Test
    void get_entryWrittenWithAnotherSecret_isAMissAndIsDeleted() {
        RedisStore honest = store(SECRET);
        RedisStore other = store("another-secret-0123456789abcdef".getBytes(UTF_8));
        Key key = Key.of("posts", 1);
        other.put(key, entry("forged", 60_000));

        assertThat(honest.get(key)).isNull();
        assertThat(honest.stats().badEntries()).isEqualTo(1);
        assertThat(raw.sync().exists(prefix + "posts:" + key.digest())).isZero();
    }

    @Test
    void get_foreignBytesUnderTheKey_areAMiss() {
        RedisStore store = store(SECRET);
        Key key = Key.of("posts", 2);
        raw.sync().set(prefix + "posts:" + key.digest(),
                "not an entry at all, but long enough to parse........");

        assertThat(store.get(key)).isNull();
        assertThat(store.getAll(List.of(key))).isEmpty();
    }

    @Test
    void put_setsTheRedisTtlToWhenTheEntryStopsBeingUsable() {
        RedisStore store = store(SECRET);
        Key key = Key.of("posts", 3);
        store.put(key, entry("v", 120_000));

        long pttl = raw.sync().pttl(prefix + "posts:" + key.digest());

        assertThat(pttl).isBetween(100_000L, 120_000L);
    }

    @Test
    void put_alreadyUnusableEntry_storesNothing() {
        RedisStore store = store(SECRET);
        Key key = Key.of("posts", 4);
        store.put(key, entry("v", 60_000));
        clock.advance(Duration.ofMinutes(2));

        store.put(key, entry("expired", -1));

        assertThat(store.get(key)).isNull();
    }

    @Test
    void generations_cachedOnOneNode_followAnInvalidationOnAnother() {
        RedisStore a = store(SECRET);
        RedisStore b = store(SECRET);
        long[] start = a.generations(List.of("posts", "lang:de"));
        long callsBefore = a.stats().calls();
        assertThat(a.generations(List.of("posts", "lang:de"))).containsExactly(start);
        assertThat(a.stats().calls()).as("a cached generation costs no round trip")
                .isEqualTo(callsBefore);

        b.invalidateTags(List.of("posts"));

        await("node a sees the new generation",
                () -> a.generations(List.of("posts"))[0] != start[0]);
        long[] now = a.generations(List.of("posts", "lang:de"));
        assertThat(now[0]).as("counters grow by a random step").isGreaterThan(start[0]);
        assertThat(now[1]).isEqualTo(start[1]);
        assertThat(a.stats().messages()).isPositive();
    }

    /**
     * Regression: after FLUSHALL the counters restarted at 0, so that once edits brought a
     * counter back to a value it had, entries written under that value were valid again.
     */
    @Test
    void flushAll_thenInvalidations_neverBringACounterBackToAValueItHad() {
        RedisStore a = store(SECRET);
        RedisStore b = store(SECRET);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int round = 0; round < 3; round++) {
            for (int edit = 0; edit < 5; edit++) {
                long value = b.generations(List.of("post:2995"))[0];
                assertThat(seen.add(value)).as("a value post:2995 never had").isTrue();
                a.invalidateTags(List.of("post:2995"));
                await("b sees the edit", () -> b.generations(List.of("post:2995"))[0] != value);
            }
            raw.sync().flushall();
            long last = b.generations(List.of("post:2995"))[0];
            // b heard nothing of the flush: its cached value is forgotten by the next edit
            a.invalidateTags(List.of("post:2995"));
            await("b sees the edit after the flush",
                    () -> b.generations(List.of("post:2995"))[0] != last);
        }
        assertThat(seen).hasSize(15);
    }

    @Test
    void listen_hearsOtherNodesWritesRemovalsAndRegionRemovals_butNotItsOwn() {
        RedisStore a = store(SECRET);
        RedisStore b = store(SECRET);
        List<String> heardByA = new CopyOnWriteArrayList<>();
        List<String> heardByB = new CopyOnWriteArrayList<>();
        a.listen(recorder(heardByA));
        b.listen(recorder(heardByB));
        Key key = Key.of("posts", "a:b", null);

        b.put(key, entry("v", 60_000));
        b.remove(key);
        b.removeRegion("sidebar");

        await("node a heard all three", () -> heardByA.size() >= 3);
        assertThat(heardByA).containsExactly("changed " + key.encode(), "changed " + key.encode(),
                "region sidebar");
        a.put(Key.of("posts", 9), entry("v", 60_000));
        String write = "changed " + Key.of("posts", 9).encode();
        await("node b heard a's write", () -> heardByB.contains(write));
        assertThat(heardByB).doesNotContain("region sidebar");
    }

    private static Store.Listener recorder(List<String> heard) {
        return new Store.Listener() {
            @Override
            public void changed(Key key) {
                heard.add("changed " + key.encode());
            }

            @Override
            public void regionRemoved(String region) {
                heard.add("region " + region);
            }

            @Override
            public void lostTrack() {
            }
        };
    }

    @Test
    void lease_isExclusiveAcrossNodes_untilItsHolderReleasesIt() {
        RedisStore a = store(SECRET);
        RedisStore b = store(SECRET);
        Key key = Key.of("posts", 5);

        Store.Lease first = a.lease(key, Duration.ofSeconds(30));
        Store.Lease second = b.lease(key, Duration.ofSeconds(30));

        assertThat(first.granted()).isTrue();
        assertThat(second.granted()).isFalse();
        second.close(); // not the holder: must not release the lock
        assertThat(a.lease(key, Duration.ofSeconds(30)).granted()).isFalse();
        first.close();
        assertThat(b.lease(key, Duration.ofSeconds(30)).granted()).isTrue();
    }

    @Test
    void lease_expiresInRedis_soADeadHolderDoesNotBlockOthersForever() {
        RedisStore a = store(SECRET);
        Key key = Key.of("posts", 6);

        assertThat(a.lease(key, Duration.ofSeconds(7)).granted()).isTrue();

        long pttl = raw.sync().pttl(prefix + "@lock:posts:" + key.digest());
        assertThat(pttl).isBetween(1L, 7_000L);
    }

    @Test
    void bind_withoutAnySecret_failsNamingTheFix() {
        RedisStore store = RedisStore.builder(server.uri()).build();
        closeables.add(store);

        assertThatThrownBy(() -> store.bind(new StoreContext(clock, Optional.empty())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hmacSecret");
    }

    @Test
    void builder_rejectsBadValues_namingThem() {
        assertThatThrownBy(() -> RedisStore.builder(server.uri())
                .commandTimeout(Duration.ofMillis(-5)))
                .hasMessage("commandTimeout must be positive, was PT-0.005S");
        assertThatThrownBy(() -> RedisStore.builder(server.uri()).breaker(0, Duration.ofSeconds(1)))
                .hasMessage("breaker failures must be at least 1, was 0");
        assertThatThrownBy(() -> RedisStore.builder(server.uri()).prefix("a b"))
                .hasMessageContaining("prefix must not be empty or contain spaces");
        assertThatThrownBy(() -> RedisStore.builder(server.uri()).hmacSecret(new byte[4]))
                .hasMessageContaining("at least 16 bytes");
    }

    @Test
    void redisDownAtStartUp_cacheIsBypassed_untilItComesUp() {
        try (RedisServer late = RedisServer.start()) {
            late.kill();
            RedisStore store = RedisStore.builder(late.uri()).prefix(prefix)
                    .commandTimeout(PATIENT).breaker(3, Duration.ofMillis(50)).build();
            closeables.add(store);
            Larder larder = Larder.builder().store(store).hmacSecret(SECRET).build();
            AtomicInteger loads = new AtomicInteger();

            assertThat(larder.get(Key.of("posts", 7), String.class,
                    () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
            assertThatThrownBy(() -> store.get(Key.of("posts", 7)))
                    .isInstanceOf(RedisUnavailableException.class);

            late.restart();
            RedisServer.awaitReady(store); // connected, subscribed and caught up
            larder.get(Key.of("posts", 8), String.class, () -> "v" + loads.incrementAndGet());
            assertThat(larder.get(Key.of("posts", 8), String.class, () -> "again")).isEqualTo("v2");
            assertThat(larder.stats().get("posts").hits()).isEqualTo(1);
        }
    }
}
