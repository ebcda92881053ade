package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.RegionStats;
import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import io.larder.testing.Services;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two blog nodes on one database share the Redis store on 127.0.0.1:6379: a page one node
 * loaded is served to the other from Redis, and an edit on one node reaches the other (its
 * memory near cache is invalidated through Redis pub/sub).
 */
class RedisBlogTest {
    private static final String REDIS = "redis://127.0.0.1:6379";
    private static final Pattern POST = Pattern.compile("href=\"/en/post/([a-z0-9-]+)\"");

    @TempDir
    static Path dir;
    private static TestDb db;
    private static BlogServer nodeA;
    private static BlogServer nodeB;

    @BeforeAll
    static void start() throws Exception {
        Services.requireRedis();
        db = TestDb.h2();
        nodeA = node();
        nodeB = node();
    }

    private static BlogServer node() throws Exception {
        return BlogServer.start(new BlogConfig("127.0.0.1", 0, dir, db.url, db.user, "", db.schema,
                CacheMode.QUERY, QueryMode.ORM, StoreKind.REDIS, REDIS, TestDb.SIZE,
                TestDb.ADMIN_PASSWORD), db.db);
    }


    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, db}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static long loads(BlogServer server) {
        return server.larder().stats().values().stream().mapToLong(RegionStats::loads).sum();
    }

    private static long storeErrors(BlogServer... servers) {
        long errors = 0;
        for (BlogServer server : servers) {
            errors += server.larder().stats().values().stream()
                    .mapToLong(RegionStats::storeErrors).sum();
        }
        return errors;
    }

    @Test
    void pagesLoadedByOneNode_areServedToTheOther_andAnEditOnOneIsSeenOnTheOther() {
        Http visitorA = new Http(nodeA.url());
        Http visitorB = new Http(nodeB.url());
        long errorsBefore = storeErrors(nodeA, nodeB);
        String homeA = visitorA.html("/en/");
        String slug = BlogContract.first(POST, homeA);
        String postA = visitorA.html("/en/post/" + slug);
        long loadsOfB = loads(nodeB);

        assertThat(visitorB.html("/en/")).isEqualTo(homeA);
        assertThat(visitorB.html("/en/post/" + slug)).isEqualTo(postA);
        // Node B loaded nothing but what Redis failed to give it: with Redis answering, nothing.
        // (The blog's Redis calls time out after 100 ms, and a busy machine makes some slower: a
        // call that fails is a miss by design, counted as a store error on the node it failed on,
        // A's write or B's read.)
        long failedCalls = storeErrors(nodeA, nodeB) - errorsBefore;
        assertThat(loads(nodeB) - loadsOfB)
                .as("node B's loads: it read node A's entries from Redis, but for %d failed calls",
                        failedCalls)
                .isLessThanOrEqualTo(failedCalls);

        long id = Long.parseLong(slug.substring(slug.lastIndexOf('-') + 1));
        Http admin = new Http(nodeA.url());
        admin.login();
        String csrf = Http.csrf(admin.html("/admin"));
        String title = "Edited on node A " + System.nanoTime();
        assertThat(admin.post("/admin/posts/" + id + "/en", Map.of("csrf", csrf, "title", title,
                "summary", "New *summary*", "body", "New body")).statusCode()).isEqualTo(303);

        // Node B hears of the invalidation through Redis pub/sub, within milliseconds but not
        // synchronously with node A's response: ask until it has (for a minute at most, however
        // busy the machine).
        assertThat(eventually(() -> visitorB.html("/en/"), title)).as("home on node B")
                .contains(title);
        assertThat(visitorB.html("/en/post/" + slug)).as("post on node B").contains(title);
    }

    private static String eventually(java.util.function.Supplier<String> page, String expected) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        String html = page.get();
        while (!html.contains(expected) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            html = page.get();
        }
        return html;
    }
}
