package io.larder.redis;

import static io.larder.redis.RedisStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.testing.FakeClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two nodes, each a memory near cache over one Redis of the test's own, through outages: a
 * frozen Redis (SIGSTOP), a flushed one, a dead one. A node never serves a near copy it could not
 * validate for longer than its bound; a flush is noticed; an unsafe eviction policy is reported;
 * a long outage writes a few log lines, not one per attempt.
 */
class OutageTest {
    private static final byte[] SECRET = "outage-test-secret-0123456789abc".getBytes(
            StandardCharsets.UTF_8);
    private static final Key KEY = Key.of("posts", 1);
    private final FakeClock clock = new FakeClock();
    private final AtomicInteger version = new AtomicInteger(1);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RedisStore store(Duration commandTimeout) {
        return RedisStore.builder(server.uri()).prefix("o:").commandTimeout(commandTimeout)
                .connectTimeout(Duration.ofSeconds(3)).breaker(3, Duration.ofMillis(100))
                .build();
    }

    private Larder node(RedisStore redis) {
        Larder larder = Larder.builder().clock(clock).hmacSecret(SECRET)
                .store(TieredStore.of(MemoryStore.builder().maximumSize(100).build(), redis))
                .build();
        closing.add(0, larder);
        RedisServer.awaitReady(redis);
        return larder;
    }

    private String read(Larder node) {
        return node.get(KEY, String.class, Options.tags("post:1"), () -> "v" + version.get());
    }

    /**
     * Regression: with Redis frozen (SIGSTOP keeps TCP up), a node kept serving its near copies
     * as hits, so another node's edit stayed invisible for the whole freeze.
     */
    @Test
    void frozenRedis_aNodeStopsServingNearCopies_onceItsBoundHasPassed() {
        server = RedisServer.start();
        RedisStore redisB = store(Duration.ofMillis(200));
        Larder a = node(store(Duration.ofMillis(200)));
        Larder b = node(redisB);
        assertThat(read(b)).isEqualTo("v1");
        long loads = b.stats().get("posts").loads();
        assertThat(read(b)).as("a near-cache hit").isEqualTo("v1");
        assertThat(b.stats().get("posts").loads()).isEqualTo(loads);

        server.pause();
        version.set(2);
        a.invalidateTag("post:1"); // the edit: queued by node a until Redis answers
        clock.advance(Duration.ofSeconds(2)); // past node b's bound (1 s by default)

        String whileFrozen = read(b);
        assertThat(whileFrozen).as("node b while Redis is frozen: %s %s", redisB.stats(),
                b.stats().get("posts")).isEqualTo("v2");

        server.resume();
        RedisServer.awaitReady(redisB);
        await("node a replayed its edit", () -> a.store() instanceof TieredStore t
                && ((RedisStore) t.far()).stats().listening());
        assertThat(read(b)).as("node b after Redis is back").isEqualTo("v2");
    }

    @Test
    void flushedRedis_everyNodeNoticesItsEpochChanged_andDropsItsCopies() {
        server = RedisServer.start();
        RedisStore redisB = store(Duration.ofSeconds(3));
        Larder b = node(redisB);
        assertThat(read(b)).isEqualTo("v1");
        await("the epoch is known", () -> raw(c -> c.get("o:@epoch:{o:}")) != null);
        long lost = redisB.stats().lostTrack();

        raw(c -> c.flushall());

        await("node b noticed the flush", () -> redisB.stats().lostTrack() > lost);
        RedisServer.awaitReady(redisB);
        version.set(2);
        assertThat(read(b)).as("the near copy was dropped with the flush").isEqualTo("v2");
    }

    @Test
    void allkeysEvictionPolicy_isReportedAtStart() {
        server = RedisServer.start("--maxmemory-policy", "allkeys-lru");
        ListAppender<ILoggingEvent> log = capture(RedisStore.class.getName());
        node(store(Duration.ofSeconds(3)));

        await("the policy is reported", () -> log.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("maxmemory-policy allkeys-lru")));
    }

    @Test
    void longOutage_logsAFewLines_notOnePerAttemptOrRequest() {
        server = RedisServer.start();
        RedisStore redis = store(Duration.ofMillis(500));
        Larder a = node(redis);
        read(a);
        ListAppender<ILoggingEvent> log = capture(org.slf4j.Logger.ROOT_LOGGER_NAME);

        server.kill();
        long attempts = redis.redis().connectAttempts.sum();
        int firstHalf = -1;
        for (int i = 0; redis.redis().connectAttempts.sum() < attempts + 40; i++) {
            read(a);
            a.invalidateTag("post:" + (i % 5));
            if (firstHalf < 0 && redis.redis().connectAttempts.sum() >= attempts + 20) {
                firstHalf = log.list.size();
            }
        }
        int secondHalf = log.list.size() - firstHalf;
        server.restart();
        RedisServer.awaitReady(redis);

        List<String> lines = log.list.stream().filter(e -> e.getLevel().toInt() >= 30_000)
                .map(ILoggingEvent::getFormattedMessage).toList();
        long traces = log.list.stream().filter(e -> e.getThrowableProxy() != null
                && e.getThrowableProxy().getStackTraceElementProxyArray().length > 0).count();
        assertThat(secondHalf).as("lines over the last 20 of 40 reconnection attempts, with"
                + " requests, reads and invalidations all along").isZero();
        assertThat(lines).as("warnings in one outage (one per kind of failure)")
                .hasSizeLessThanOrEqualTo(10);
        assertThat(traces).as("stack traces in one outage").isLessThanOrEqualTo(1);
        assertThat(lines).noneMatch(l -> l.contains("invalidate") && l.contains("as a miss"))
                .noneMatch(l -> l.contains("Reconnecting"));
    }

    private <T> T raw(java.util.function.Function<
            io.lettuce.core.api.sync.RedisCommands<String, String>, T> command) {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return command.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    private ListAppender<ILoggingEvent> capture(String logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger target = (Logger) LoggerFactory.getLogger(logger);
        target.addAppender(appender);
        closing.add(() -> target.detachAppender(appender));
        return appender;
    }
}
