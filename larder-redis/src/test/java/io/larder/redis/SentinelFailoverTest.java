package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 8 reader threads on 3 Larder instances connected through Sentinels
 * ({@code redis-sentinel://}) while the primary fails over ({@code SENTINEL FAILOVER}, or the
 * primary killed): every read is served, none is wrong, hits come back on the new primary, and
 * an edit made after reaches every instance.
 */
class SentinelFailoverTest {
    private static final byte[] SECRET = "sentinel-failover-secret-0123456789".getBytes(UTF_8);
    private RedisSentinels sentinels;
    private final List<Larder> instances = new ArrayList<>();
    private final List<RedisStore> stores = new ArrayList<>();
    private ReaderLoad load;

    @BeforeEach
    void start() {
        sentinels = RedisSentinels.start();
        for (int i = 0; i < 3; i++) {
            RedisStore redis = RedisStore.builder(sentinels.uri()).prefix("sf:")
                    .commandTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(3))
                    .breaker(3, Duration.ofMillis(100)).build();
            instances.add(Larder.builder().hmacSecret(SECRET)
                    .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis))
                    .build());
            stores.add(redis);
            RedisServer.awaitReady(redis);
        }
        load = new ReaderLoad(instances, stores);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (load != null) {
            load.stop();
        }
        instances.forEach(Larder::close);
        sentinels.close();
    }

    @Test
    void sentinelFailover_underEightReaders_noReadFailsOrIsWrong() throws InterruptedException {
        load.start(8);
        load.awaitHitsGrowBy(300);

        sentinels.failover();
        load.awaitReadsGrowBy(300);
        load.awaitHitsGrowBy(300);

        finish("redis-sentinel-failover");
    }

    @Test
    void primaryKilled_underEightReaders_noReadFailsOrIsWrong() throws InterruptedException {
        load.start(8);
        load.awaitHitsGrowBy(300);
        RedisServer next = sentinels.replica();

        sentinels.primary().kill();
        sentinels.awaitPrimary(next);
        load.awaitReadsGrowBy(300);
        load.awaitHitsGrowBy(300);

        finish("redis-sentinel-failover-kill");
    }

    private void finish(String name) throws InterruptedException {
        load.stop();
        List<String> stale = load.editThenReadEverywhere();
        load.report(name, stale.size());
        assertThat(load.errors).isEmpty();
        assertThat(stale).as("old texts served after an edit").isEmpty();
    }
}
