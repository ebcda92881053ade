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
 * 8 reader threads on 3 Larder instances over a Redis Cluster of the test's own while the primary
 * of the tag counters' slot is killed (SIGKILL), or hands over with {@code CLUSTER FAILOVER}:
 * every read is served (a read Redis fails is a miss, loaded), none is wrong, hits come back
 * once the replica took over, and an edit made after reaches every instance.
 */
class ClusterFailoverTest {
    private static final byte[] SECRET = "cluster-failover-secret-0123456789".getBytes(UTF_8);
    private static final String PREFIX = "fo:";
    private RedisCluster cluster;
    private final List<Larder> instances = new ArrayList<>();
    private final List<RedisStore> stores = new ArrayList<>();
    private ReaderLoad load;

    @BeforeEach
    void start() {
        cluster = RedisCluster.start();
        for (int i = 0; i < 3; i++) {
            RedisStore redis = RedisStore.builder(cluster.uri()).prefix(PREFIX)
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
        cluster.close();
    }

    /** The primary serving the slot of this prefix's tag counters, markers and epoch. */
    private RedisServer tagPrimary() {
        return cluster.primaryOf(cluster.slot(PREFIX + "@epoch:{" + PREFIX + "}"));
    }

    @Test
    void primaryKilled_underEightReaders_noReadFailsOrIsWrong() throws InterruptedException {
        load.start(8);
        load.awaitHitsGrowBy(300);
        RedisServer primary = tagPrimary();
        RedisServer replica = cluster.replicaOf(primary);

        primary.kill();
        cluster.awaitHealthy();
        assertThat(tagPrimary()).as("the replica took over").isSameAs(replica);
        load.awaitReadsGrowBy(300);
        load.awaitHitsGrowBy(300);

        finish("redis-cluster-failover-kill");
    }

    @Test
    void clusterFailover_underEightReaders_noReadFailsOrIsWrong() throws InterruptedException {
        load.start(8);
        load.awaitHitsGrowBy(300);
        RedisServer primary = tagPrimary();
        RedisServer replica = cluster.replicaOf(primary);

        assertThat(replica.command("CLUSTER", "FAILOVER")).isEqualTo("OK");
        RedisServer.awaitCondition("the replica serves the slot", () -> {
            try {
                return tagPrimary() == replica;
            } catch (IllegalStateException e) {
                return false;
            }
        });
        cluster.awaitHealthy();
        load.awaitReadsGrowBy(300);
        load.awaitHitsGrowBy(300);

        finish("redis-cluster-failover-manual");
    }

    private void finish(String name) throws InterruptedException {
        load.stop();
        List<String> stale = load.editThenReadEverywhere();
        load.report(name, stale.size());
        assertThat(load.errors).isEmpty();
        assertThat(stale).as("old texts served after an edit").isEmpty();
    }
}
