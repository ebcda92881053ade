package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes (Larders with their own Redis connections) and many threads miss one key: one
 * load in all.
 */
class SingleFlightAcrossNodesTest {
    private static final int NODES = 4;
    private static final int THREADS_PER_NODE = 8;

    private RedisServer server;
    private final List<Larder> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        server = RedisServer.start();
        for (int n = 0; n < NODES; n++) {
            RedisStore redis = RedisStore.builder(server.uri()).prefix("sf:")
                    .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                    .build();
            nodes.add(Larder.builder()
                    .store(TieredStore.of(MemoryStore.builder().maximumSize(100).build(), redis))
                    .hmacSecret("single-flight-secret-0123456789ab".getBytes(UTF_8))
                    .build());
            RedisServer.awaitReady(redis);
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(Larder::close);
        server.close();
    }

    @Test
    void nodesTimesThreads_missOneKey_loadOnceInAll() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        Key key = Key.of("home-posts", "en", 1);
        CyclicBarrier start = new CyclicBarrier(NODES * THREADS_PER_NODE);
        ExecutorService pool = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Larder node : nodes) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return node.get(key, String.class, () -> {
                            loads.incrementAndGet();
                            Thread.sleep(300); // a slow query: the others arrive while it runs
                            return "the home page posts";
                        });
                    }));
                }
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("the home page posts");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(loads).hasValue(1);
    }
}
