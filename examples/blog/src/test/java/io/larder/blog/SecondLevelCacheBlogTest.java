package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.StoreKind;
import java.nio.file.Path;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blog's {@code --l2}: Hibernate's second-level cache on larder-jcache. Pages are the same
 * bytes as without it, Hibernate's own statistics count second-level hits, and an admin edit is
 * on the next request.
 */
class SecondLevelCacheBlogTest {
    @TempDir
    Path dir;

    @Test
    void secondLevelCache_servesEntities_samePages_andEditsAtOnce() throws Exception {
        try (TestDb db = TestDb.h2();
             BlogServer plain = BlogNode.start(db, dir.resolve("plain"), CacheMode.OFF,
                     StoreKind.MEMORY);
             BlogServer l2 = BlogNode.start(db, BlogNode.config(db, dir.resolve("l2"),
                     CacheMode.OFF, StoreKind.MEMORY, null).withSecondLevelCache(true))) {
            BlogEdits post = BlogEdits.firstPost(l2);
            Statistics statistics = l2.database().emf().unwrap(SessionFactory.class)
                    .getStatistics();
            post.readAll(l2);
            assertThat(statistics.getSecondLevelCachePutCount()).as("entities put").isPositive();
            long hits = statistics.getSecondLevelCacheHitCount();
            post.readAll(l2);
            assertThat(statistics.getSecondLevelCacheHitCount()).as("second-level hits")
                    .isGreaterThan(hits);
            Http withL2 = new Http(l2.url());
            Http without = new Http(plain.url());
            for (String page : post.pages) {
                assertThat(withL2.html(page)).as(page).isEqualTo(without.html(page));
            }

            String title = post.edit(l2, "Edited with the second-level cache on");
            assertThat(post.stale(l2, title)).as("pages without the new title").isEmpty();
            assertThat(plain.database().emf().unwrap(SessionFactory.class).getStatistics()
                    .isStatisticsEnabled()).as("off without --l2").isFalse();
        }
    }
}
