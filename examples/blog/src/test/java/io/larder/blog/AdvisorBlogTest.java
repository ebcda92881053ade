package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.insight.Advisor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisor on the blog itself: uncached, the home page's queries are ranked with advice;
 * with the query cache on, the same queries run only inside loaders and drop out of the ranking.
 */
class AdvisorBlogTest {
    @TempDir
    static Path dir;
    private static TestDb db;
    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.h2();
        servers = Servers.start(db, dir, CacheMode.OFF, CacheMode.QUERY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The database work the advisor found on the home page route, most total time first. */
    private static List<Advisor.Finding> homeQueries(BlogServer server) {
        Http http = new Http(server.url());
        // The advisor samples one request in ten: 300 requests record about 30.
        for (int i = 0; i < 300; i++) {
            http.html("/en/");
        }
        return server.advisor().findings(500).stream()
                .filter(f -> f.kind().equals("db") && f.route().equals("/{lang}")).toList();
    }

    @Test
    void uncachedHomeQueries_areRankedWithAdvice_andDropOutOnceCached() {
        List<Advisor.Finding> uncached = homeQueries(servers.byMode.get("off/orm"));

        assertThat(uncached).as("all findings: %s",
                servers.byMode.get("off/orm").advisor().findings(20)).isNotEmpty();
        Advisor.Finding top = uncached.get(0);
        assertThat(top.name()).containsIgnoringCase("select").containsIgnoringCase("from");
        assertThat(top.advice()).contains("on `/{lang}`").contains("cache its result");

        List<Advisor.Finding> cached = homeQueries(servers.byMode.get("query/orm"));

        assertThat(cached).extracting(Advisor.Finding::name).doesNotContain(top.name());
    }
}
