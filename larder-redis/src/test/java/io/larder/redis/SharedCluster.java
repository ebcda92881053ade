package io.larder.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisCluster} shared by every test class of the run that registers this extension
 * (tests that kill nodes start their own), stopped when the run ends, and stores on fresh key
 * prefixes of it: {@code @RegisterExtension static final SharedCluster CLUSTER = new
 * SharedCluster();}
 */
final class SharedCluster implements BeforeAllCallback {
    /** The tests check semantics, not speed: a loaded CI machine must not time commands out. */
    static final Duration SLOW_MACHINE = Duration.ofSeconds(5);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private RedisCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("larder-redis-cluster", name -> new Running(
                        RedisCluster.start()), Running.class).cluster;
    }

    /** A key prefix no other store of this run has used. */
    String newPrefix(String kind) {
        return kind + PREFIXES.incrementAndGet() + ":";
    }

    /** A store on {@code prefix} with patient timeouts. */
    RedisStore store(String prefix) {
        return RedisStore.builder(cluster.uri()).prefix(prefix).commandTimeout(SLOW_MACHINE)
                .connectTimeout(SLOW_MACHINE).build();
    }

    RedisCluster cluster() {
        return cluster;
    }

    /** Closed by JUnit when the run ends. */
    private record Running(RedisCluster cluster)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
