package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.insight.Advisor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.h2.api.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisor on the blog itself, with one deliberately slow query: reading the {@code author}
 * table costs {@value #SLOW_MILLIS} ms (an H2 trigger that fires on every SELECT of it, as if the
 * table lived on a distant server), and on the home page only the query that lists the posts reads
 * it. Uncached, that query must be the advisor's top finding: its time is charged to the query,
 * not to the data read or the template that ran it, and the advice names its shape, share of the
 * route, calls per request, region and tags. With the query cache on, it runs only inside a loader
 * and drops out of the findings.
 *
 * <p>The trigger sleeps, while the rest of a request is work: on a busy machine the work slows
 * down and the sleep does not. {@value #SLOW_MILLIS} ms is several times what the ORM's own work
 * around the posts read costs even with both cores taken by other processes (about 30 ms), so
 * the ranking holds on a loaded CI machine; the shares' sum does not depend on speed at all.
 */
class AdvisorBlogTest {
    private static final String HOME = "/{lang}";
    private static final int SLOW_MILLIS = 100;

    /** Makes every SELECT of the table it is attached to take {@value #SLOW_MILLIS} ms. */
    public static final class SlowTable implements Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @TempDir
    static Path dir;
    private static TestDb db;
    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.h2();
        try (Connection c = db.db.connection(); Statement s = c.createStatement()) {
            s.execute("create trigger author_is_slow before select on author call '"
                    + SlowTable.class.getName() + "'");
        }
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

    /** Everything the advisor found after requests to the home page, most total time first. */
    private static List<Advisor.Finding> afterHomeRequests(BlogServer server) {
        Http http = new Http(server.url());
        for (int i = 0; i < 10; i++) {
            http.html("/en/"); // warm up: the JIT, Hibernate's query plans, the query cache
        }
        server.advisor().reset();
        // The advisor samples one request in ten: 200 requests record about 20.
        for (int i = 0; i < 200; i++) {
            http.html("/en/");
        }
        return server.advisor().findings(500);
    }

    @Test
    void slowUncachedQuery_isTheTopFinding_withAdvice_andDropsOutOnceCached() {
        List<Advisor.Finding> uncached = afterHomeRequests(servers.byMode.get("off/orm"));

        assertThat(uncached).isNotEmpty();
        Advisor.Finding top = uncached.get(0);
        assertThat(top.kind()).as("top finding of %s", uncached).isEqualTo("db");
        assertThat(top.route()).isEqualTo(HOME);
        assertThat(top.name()).contains("from post_translation").contains("join Author");
        assertThat(top.perRequest()).isEqualTo(1.0);
        String percent = String.format(Locale.ROOT, "%.0f%%", top.shareOfRoute() * 100);
        assertThat(top.advice())
                .contains("query `" + top.name() + "` on `" + HOME + "`")
                .contains(percent + " of the route's time")
                .contains("called 1.0× per request")
                .contains("region `post_translation-queries`")
                .contains("Options.tags(\"post_translation\", \"post\", \"author\")");
        // The route's time is accounted for whole: each span's own time, and the rest as the
        // handler's (listed from 1 % of the route); nothing twice (the query, within the posts
        // read, within the template, is charged once).
        List<Advisor.Finding> home = uncached.stream().filter(f -> f.route().equals(HOME)).toList();
        assertThat(home.stream().mapToDouble(Advisor.Finding::shareOfRoute).sum())
                .isBetween(0.98, 1.0 + 1e-9);
        assertThat(home).extracting(Advisor.Finding::kind).contains("data", "template");

        List<Advisor.Finding> cached = afterHomeRequests(servers.byMode.get("query/orm"));

        assertThat(cached).as("findings with the query cache on").isNotEmpty()
                .extracting(Advisor.Finding::name).doesNotContain(top.name());
    }
}
