package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Larder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard over HTTP on a real Jetty: access, CSRF, invalidation, escaping, charts. */
class DashboardTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern COOKIE = Pattern.compile(Csrf.COOKIE + "=([^;]+)");

    private final DashboardSite site = new DashboardSite();

    @AfterEach
    void stop() {
        site.close();
    }

    /** An admin's cookies (admin and CSRF) and the token of the page's forms. */
    private record Admin(String cookies, String token) { }

    private Admin admin() throws Exception {
        HttpResponse<String> page = site.get("/_larder", DashboardSite.ADMIN_COOKIE);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher token = TOKEN.matcher(page.body());
        assertThat(token.find()).as("a form with a CSRF token").isTrue();
        Matcher cookie = COOKIE.matcher(page.headers().firstValue("Set-Cookie").orElse(""));
        assertThat(cookie.find()).as("the CSRF cookie").isTrue();
        return new Admin(DashboardSite.ADMIN_COOKIE + "; " + Csrf.COOKIE + "=" + cookie.group(1),
                token.group(1));
    }

    @Test
    void page_showsPageWarming_withTheFailure() throws Exception {
        HttpResponse<String> page = site.get("/_larder", DashboardSite.ADMIN_COOKIE);

        // Pages, warmed, failed, waiting: warming ended before the server listened.
        assertThat(page.body()).contains("<h2>Page warming</h2>").contains("<table id=\"warming\">"
                + "<thead><tr><th>Pages</th><th>Warmed</th><th>Failed</th><th>Waiting</th></tr>"
                + "</thead><tbody><tr><td>3</td><td>2</td><td>1</td><td>0</td></tr>");
        assertThat(site.get("/admin/cache", DashboardSite.ADMIN_COOKIE).body())
                .as("a dashboard not given the plugin").doesNotContain("Page warming");
    }

    @Test
    void page_withoutAccess_is403AndShowsNothing() throws Exception {
        HttpResponse<String> anonymous = site.get("/_larder", null);
        HttpResponse<String> wrong = site.get("/_larder", "admin=guess");

        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).doesNotContain("Regions");
    }

    @Test
    void page_withoutAccess_redirectsToTheLoginPageWhenOneIsNamed() throws Exception {
        HttpResponse<String> page = site.get("/admin/cache", null);

        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(site.get("/admin/cache", DashboardSite.ADMIN_COOKIE).statusCode())
                .isEqualTo(200);
    }

    @Test
    void invalidate_withoutAccess_is403EvenWithAToken() throws Exception {
        site.get("/posts", null);
        Admin admin = admin();
        String csrfOnly = admin.cookies().replace(DashboardSite.ADMIN_COOKIE + "; ", "");

        HttpResponse<String> post = site.post("/_larder/invalidate", csrfOnly,
                Map.of("csrf", admin.token(), "kind", "region", "name", "posts"));

        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(site.larder.stats().get("posts").entries()).isEqualTo(1);
    }

    @Test
    void invalidate_withMissingOrWrongToken_is403AndKeepsTheRegion() throws Exception {
        site.get("/posts", null);
        Admin admin = admin();
        Admin other = admin();

        HttpResponse<String> missing = site.post("/_larder/invalidate", admin.cookies(),
                Map.of("kind", "region", "name", "posts"));
        HttpResponse<String> wrong = site.post("/_larder/invalidate", admin.cookies(),
                Map.of("csrf", admin.token() + "x", "kind", "region", "name", "posts"));
        HttpResponse<String> otherCookie = site.post("/_larder/invalidate", other.cookies(),
                Map.of("csrf", admin.token(), "kind", "region", "name", "posts"));
        HttpResponse<String> noCookie = site.post("/_larder/invalidate",
                DashboardSite.ADMIN_COOKIE, Map.of("csrf", admin.token(), "kind", "region",
                        "name", "posts"));

        assertThat(other.token()).isNotEqualTo(admin.token());
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(otherCookie.statusCode()).isEqualTo(403);
        assertThat(noCookie.statusCode()).isEqualTo(403);
        site.get("/posts", null);
        assertThat(site.postLoads).hasValue(1);
    }

    @Test
    void invalidateRegionButton_emptiesTheRegion_nextReadIsAMiss() throws Exception {
        site.get("/posts", null);
        site.get("/posts", null);
        site.get("/authors", null);
        Admin admin = admin();
        long missesBefore = site.larder.stats().get("posts").misses();

        HttpResponse<String> post = site.post("/_larder/invalidate", admin.cookies(),
                Map.of("csrf", admin.token(), "kind", "region", "name", "posts"));

        assertThat(post.statusCode()).isEqualTo(303);
        assertThat(post.headers().firstValue("Location")).hasValue("/_larder");
        assertThat(site.larder.stats().get("posts").entries()).isZero();
        assertThat(site.larder.stats().get("authors").entries()).isEqualTo(1);
        site.get("/posts", null);
        assertThat(site.postLoads).hasValue(2);
        assertThat(site.larder.stats().get("posts").misses()).isEqualTo(missesBefore + 1);
    }

    @Test
    void invalidateTag_makesItsEntriesMisses_andAnInvalidTagIs400() throws Exception {
        site.get("/posts", null);
        Admin admin = admin();

        HttpResponse<String> post = site.post("/_larder/invalidate", admin.cookies(),
                Map.of("csrf", admin.token(), "kind", "tag", "name", "posts"));
        HttpResponse<String> bad = site.post("/_larder/invalidate", admin.cookies(),
                Map.of("csrf", admin.token(), "kind", "tag", "name", "@own"));

        assertThat(post.statusCode()).isEqualTo(303);
        assertThat(bad.statusCode()).isEqualTo(400);
        site.get("/posts", null);
        assertThat(site.postLoads).hasValue(2);
    }

    @Test
    void hostileTagAndQueryShape_areEscaped() throws Exception {
        site.get("/search", null);
        Admin admin = admin();
        site.post("/_larder/invalidate", admin.cookies(), Map.of("csrf", admin.token(),
                "kind", "tag", "name", DashboardSite.HOSTILE_TAG));

        String page = site.get("/_larder", admin.cookies()).body();

        assertThat(page).contains("&lt;img src=x onerror=alert(&#39;tag&#39;)&gt;")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<img").doesNotContain("<script");
    }

    @Test
    void page_showsRegionsChartsAndTheAdvisorsRanking() throws Exception {
        site.get("/posts", null);
        site.get("/posts", null);
        site.get("/search", null);
        site.dashboard.sampleNow();
        site.get("/posts", null);
        site.dashboard.sampleNow();

        HttpResponse<String> page = site.get("/_larder", DashboardSite.ADMIN_COOKIE);

        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(page.body()).contains("<tr data-region=\"posts\"><td>posts</td><td>66.7%</td>")
                .contains("<svg").contains("<polyline").contains("/posts p95")
                .contains("<table id=\"advice\">").contains("/search")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        // No advice about nothing: the handler item of /search (all of it one query) is not
        // listed at 0 % (issue 19).
        assertThat(page.body()).doesNotContainPattern("\\D0% of the route");
    }

    @Test
    void sampler_percentilesOfOneInterval() {
        try (Larder larder = Larder.builder().build()) {
            Sampler sampler = new Sampler(larder, "/_larder", 3);
            for (int ms = 1; ms <= 100; ms++) {
                sampler.record(new RequestTiming("/a", "GET", 200, ms <= 30 ? "hit" : "miss",
                        ms * 1_000_000L, java.util.List.of()));
            }
            sampler.record(new RequestTiming("/_larder", "GET", 200, "none", 1,
                    java.util.List.of()));

            Sampler.Snapshot snapshot = sampler.sample(java.time.Instant.EPOCH);

            assertThat(snapshot.routes()).containsOnlyKeys("/a");
            assertThat(snapshot.routes().get("/a"))
                    .isEqualTo(new Sampler.Latency(100, 50.0, 95.0, 99.0));
            assertThat(snapshot.cached()).isEqualTo(30);
            assertThat(snapshot.uncached()).isEqualTo(70);
            for (int i = 0; i < 4; i++) {
                sampler.sample(java.time.Instant.ofEpochSecond(i + 1));
            }
            assertThat(sampler.history()).extracting(Sampler.Snapshot::at).containsExactly(
                    java.time.Instant.ofEpochSecond(2), java.time.Instant.ofEpochSecond(3),
                    java.time.Instant.ofEpochSecond(4));
        }
    }

    @Test
    void builder_failsFastNamingTheValue() {
        try (Larder larder = Larder.builder().build()) {
            assertThatThrownBy(() -> Dashboard.builder(larder).path("/x/").access(c -> true))
                    .hasMessageContaining("was '/x/'");
            assertThatThrownBy(() -> Dashboard.builder(larder).build())
                    .hasMessageContaining("access");
            assertThatThrownBy(() -> Dashboard.builder(larder).loginPage("//evil.example"))
                    .hasMessageContaining("was '//evil.example'");
            assertThatThrownBy(() -> Dashboard.builder(larder)
                    .history(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                    .hasMessageContaining("was PT5S");
        }
    }
}
