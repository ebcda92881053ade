package io.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.redis.RedisServer;
import io.larder.redis.RedisStore;
import io.larder.spring.Services.Catalog;
import io.larder.spring.Services.Item;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** Two "nodes" (two contexts, two Larders) on one redis-server of the test's own. */
class RedisSingleFlightTest {
    private static final byte[] SECRET = "larder-spring redis secret".getBytes(StandardCharsets.UTF_8);
    private final List<AutoCloseable> open = new ArrayList<>();
    private RedisServer server;

    @BeforeEach
    void start() {
        server = RedisServer.start();
        open.add(server);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private AnnotationConfigApplicationContext node() {
        RedisStore redis = RedisStore.builder(server.uri()).prefix("larder-spring-test:")
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                .build();
        Larder larder = Larder.builder()
                .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis))
                .hmacSecret(SECRET).build();
        RedisServer.awaitReady(redis);
        open.add(larder);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Larder.class, () -> larder);
        context.register(Services.Config.class);
        context.refresh();
        open.add(context);
        return context;
    }

    @Test
    void syncTrue_eightThreadsOnTwoNodes_loadOnce_andTheValueReadsBackTyped() throws Exception {
        AnnotationConfigApplicationContext a = node();
        AnnotationConfigApplicationContext b = node();
        Catalog left = a.getBean(Catalog.class);
        Catalog right = b.getBean(Catalog.class);
        Larder la = a.getBean(Larder.class);
        Larder lb = b.getBean(Larder.class);
        BooleanSupplier gate = () -> misses(la) + misses(lb) >= 8;
        left.gate(gate);
        right.gate(gate);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Catalog catalog = i % 2 == 0 ? left : right;
                futures.add(pool.submit(() -> catalog.title(5)));
            }
            for (Future<String> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo("title 5 v1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(left.runs().get() + right.runs().get()).isEqualTo(1);

        List<Item> written = left.list("fr", 1);
        assertThat(right.list("fr", 1)).isEqualTo(written).allMatch(Item.class::isInstance);
        assertThat(right.runs().get() + left.runs().get()).isEqualTo(2);
    }

    private static long misses(Larder larder) {
        var stats = larder.stats().get("titles");
        return stats == null ? 0 : stats.misses();
    }
}
