package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.RegionStats;
import io.larder.blog.cache.CacheMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Junk requests, sessions and CSRF, over HTTP against the caching modes on H2: junk gets a clean
 * 404 and no cache entry; a signed-in page never reaches an anonymous visitor and vice versa.
 */
class JunkAndSessionTest {
    private static final List<String> JUNK = List.of("/nope", "/xx/", "/EN/", "/en/page/0",
            "/en/page/-1", "/en/page/99999", "/en/page/abc", "/en/page/1.5",
            "/en/page/99999999999999999999", "/en/post/does-not-exist-1",
            "/en/post/..%2F..%2Fetc%2Fpasswd", "/en/post/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/en/post/" + "a".repeat(500), "/en/post/x'%20OR%201=1--", "/en/post/%00",
            "/de/post/%F0%9F%92%A9", "/en/tag/unknown-tag", "/en/tag/UPPER",
            "/en/tag/caching/page/999",
            "/en/archive/1800/01", "/en/archive/2023/13", "/en/archive/2099/01",
            "/en/archive/2023/1", "/en/archive/abcd/01",
            "/en/post/a/b/c", "/..%2F..%2F", "/en/%2e%2e/%2e%2e/etc/passwd");

    @TempDir
    static Path dir;
    private static TestDb db;
    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.h2();
        servers = Servers.start(db, dir, CacheMode.QUERY, CacheMode.FRAGMENT, CacheMode.PAGE);
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

    @Test
    void junkRequests_getClean404_neverServerError_andAddNoCacheEntry() {
        for (var server : servers.byMode.entrySet()) {
            Http http = new Http(server.getValue().url());
            String home = http.html("/en/");
            http.html("/en/page/2");
            long entries = entries(server.getValue());
            String before = server.getValue().larder().stats().toString();
            for (String junk : JUNK) {
                HttpResponse<String> r = http.get(junk);
                assertThat(r.statusCode()).as("%s in %s", junk, server.getKey()).isIn(400, 404);
                assertThat(r.body()).as(junk).doesNotContain("Exception").doesNotContain("at io.");
            }
            for (int i = 0; i < 25; i++) {
                String junk = "/en/?page=" + i + "&utm_source=x" + i + "&q=%3Cb%3E";
                assertThat(http.html(junk)).as(junk).isEqualTo(home);
            }
            assertThat(entries(server.getValue())).as("cache entries in %s: %s, then %s",
                    server.getKey(), before, server.getValue().larder().stats())
                    .isEqualTo(entries);
        }
    }

    @Test
    void signedInPages_neverReachAnonymousVisitors_andViceVersa() {
        for (var server : servers.byMode.entrySet()) {
            Http anonymous = new Http(server.getValue().url());
            Http admin = new Http(server.getValue().url());
            String slug = BlogContract.first(java.util.regex.Pattern.compile(
                    "href=\"/en/post/([a-z0-9-]+)\""), anonymous.html("/en/"));
            admin.login();
            List<String> order = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String page : List.of("/en/", "/en/post/" + slug)) {
                    HttpResponse<String> a = anonymous.get(page);
                    assertThat(a.body()).as("anonymous %s", page).doesNotContain("Signed in as");
                    assertThat(a.headers().firstValue("Set-Cookie")).as("cookie on %s", page)
                            .isEmpty();
                    // only cached pages say what caches in front may do with them
                    assertThat(a.headers().firstValue("Cache-Control")).isEqualTo(
                            server.getKey().startsWith("page/")
                                    ? Optional.of("public, max-age=0, must-revalidate")
                                    : Optional.empty());
                    HttpResponse<String> u = admin.get(page);
                    assertThat(u.body()).as("signed in %s", page).contains("Signed in as Admin");
                    assertThat(u.headers().firstValue("Cache-Control"))
                            .hasValue("private, no-store");
                    order.add(page);
                }
            }
            assertThat(order).hasSize(4);
        }
    }

    @Test
    void adminWrites_needSessionAndCsrf_andLoginNeedsRightPassword() {
        BlogServer server = servers.byMode.values().iterator().next();
        Http anonymous = new Http(server.url());
        HttpResponse<String> r = anonymous.post("/admin/posts/1/en", Map.of("title", "x"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/admin/login");

        Http admin = new Http(server.url());
        admin.login();
        assertThat(admin.post("/admin/posts/1/en", Map.of("title", "no token")).statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/admin/posts/1/en", Map.of("csrf", "wrong", "title", "x"))
                .statusCode()).isEqualTo(403);

        Http intruder = new Http(server.url());
        String csrf = Http.csrf(intruder.html("/admin/login"));
        assertThat(intruder.post("/admin/login", Map.of("csrf", csrf, "username", "admin",
                "password", "wrong")).statusCode()).isEqualTo(401);
        assertThat(new Http(server.url()).post("/admin/login", Map.of("csrf", csrf,
                "username", "admin", "password", TestDb.ADMIN_PASSWORD)).statusCode())
                .as("login without the form's cookie").isEqualTo(403);
    }

    @Test
    void everyResponse_carriesServerTiming() {
        Http http = new Http(servers.byMode.values().iterator().next().url());
        for (String page : List.of("/en/", "/nope", "/en/page/99999")) {
            String timing = http.get(page).headers().firstValue("Server-Timing").orElseThrow();
            assertThat(timing).matches("total;dur=\\d+\\.\\d+(, .*)?");
        }
    }

    @Test
    void serverTiming_namesDatabaseAndTemplateTime_onALoad() {
        Http http = new Http(servers.byMode.get("query/orm").url());
        String timing = http.get("/de/page/3").headers().firstValue("Server-Timing").orElseThrow();
        assertThat(timing).containsPattern("db;desc=\"\\d+ quer[a-z]*\";dur=\\d")
                .containsPattern("template;desc=\"\\d+ renders?\";dur=\\d").contains("cache.");
    }

    @Test
    void cacheDashboard_isBehindTheAdminLogin_andShowsTheRegions() {
        BlogServer server = servers.byMode.get("query/orm");
        new Http(server.url()).html("/en/");
        HttpResponse<String> anonymous = new Http(server.url()).get("/admin/cache");
        assertThat(anonymous.statusCode()).isIn(302, 303, 403);
        assertThat(anonymous.body()).doesNotContain("Invalidate");

        Http admin = new Http(server.url());
        admin.login();
        HttpResponse<String> page = admin.get("/admin/cache");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Invalidate");
        server.larder().stats().keySet()
                .forEach(region -> assertThat(page.body()).contains(region));
    }

    private static long entries(BlogServer server) {
        return server.larder().stats().values().stream().mapToLong(RegionStats::entries).sum();
    }
}
