package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.StoreKind;
import io.larder.redis.RedisServer;
import io.larder.redis.RedisStore;
import io.larder.store.TieredStore;
import io.larder.testing.Soak;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two blog nodes on one database and one Redis of the test's own (memory near caches over
 * Redis), in page, fragment and query modes, through what issue 22 found: a FLUSHALL followed by
 * edits (counters used to restart at 0 and bring old pages back), Redis frozen with SIGSTOP while
 * one node edits (the other kept serving its near cache), Redis frozen while a node commits and
 * then that node gone (its queued invalidation with it), and Redis restarted without
 * persistence. After every edit both nodes are read: 0 stale pages.
 */
class RedisOutageBlogTest {
    @TempDir
    Path dir;
    private final List<String> stale = new ArrayList<>();
    private int checked;

    @Test
    void flushFreezeLostNodeAndRestart_noNodeEverShowsAnOldTitle() throws Exception {
        try (RedisServer redis = RedisServer.start(); TestDb db = TestDb.h2()) {
            for (CacheMode mode : List.of(CacheMode.PAGE, CacheMode.FRAGMENT, CacheMode.QUERY)) {
                Path data = dir.resolve(mode.name().toLowerCase());
                BlogServer a = BlogNode.start(db, data, mode, StoreKind.REDIS, redis.uri());
                BlogServer b = BlogNode.start(db, data, mode, StoreKind.REDIS, redis.uri());
                try {
                    BlogEdits post = BlogEdits.firstPost(a);
                    String step = mode + " ";
                    post.readAll(a);
                    post.readAll(b);
                    check(step + "edit", post, post.edit(a, step + "before the flush"), a, b);

                    try (RedisClient client = RedisClient.create(redis.uri());
                            StatefulRedisConnection<String, String> raw = client.connect()) {
                        raw.sync().flushall();
                    }
                    for (int edit = 0; edit < 3; edit++) {
                        check(step + "flush", post, post.edit(a, step + "after the flush "
                                + edit), a, b);
                    }

                    redis.pause();
                    await("node b notices the freeze", () -> !redisOf(b).stats().listening());
                    String frozen = post.edit(a, step + "while frozen");
                    check(step + "frozen", post, frozen, b);
                    redis.resume();
                    awaitReady(a, b);
                    check(step + "resumed", post, frozen, a, b);

                    redis.pause();
                    await("node b notices the freeze", () -> !redisOf(b).stats().listening());
                    String lost = post.edit(a, step + "by a node then gone");
                    a.close(); // its queued invalidation is gone with it
                    redis.resume();
                    awaitReady(b);
                    check(step + "node gone", post, lost, b);
                    a = BlogNode.start(db, data, mode, StoreKind.REDIS, redis.uri());

                    redis.restart();
                    awaitReady(a, b);
                    post.readAll(a);
                    post.readAll(b);
                    check(step + "restarted empty", post, post.edit(b, step + "after restart"),
                            a, b);
                } finally {
                    a.close();
                    b.close();
                }
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("modes", 3);
        counts.put("pagesChecked", checked);
        counts.put("staleResponses", stale.size());
        Soak.report("blog-redis-outages", counts);
        assertThat(stale).as("pages showing an old title").isEmpty();
    }

    private void check(String step, BlogEdits post, String title, BlogServer... nodes) {
        for (BlogServer node : nodes) {
            for (String page : post.stale(node, title)) {
                stale.add(step + " on port " + node.port() + ": " + page);
            }
            checked += post.pages.size();
        }
    }

    private static RedisStore redisOf(BlogServer node) {
        return (RedisStore) ((TieredStore) node.larder().store()).far();
    }

    private static void awaitReady(BlogServer... nodes) {
        for (BlogServer node : nodes) {
            RedisServer.awaitReady(redisOf(node));
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            RedisServer.sleep(5);
        }
    }
}
