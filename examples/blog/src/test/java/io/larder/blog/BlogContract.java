package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.RegionStats;
import io.larder.blog.cache.CacheMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every database must pass, over HTTP against real Jetty servers, one per mode (off, query,
 * fragment × orm, sql) on one seeded database. Subclasses start the database and servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BlogContract {
    static final CacheMode[] MODES = CacheMode.values();
    private static final Pattern POST = Pattern.compile("href=\"/en/post/([a-z0-9-]+)\"");
    private static final Pattern TAG = Pattern.compile("href=\"(/en/tag/[a-z0-9-]+)\"");
    private static final Pattern MONTH = Pattern.compile("href=\"(/en/archive/\\d{4}/\\d{2})\"");

    /** Logged-in admin browsers by server URL: each logs in once per test run. */
    private static final Map<String, Http> ADMINS = new java.util.concurrent.ConcurrentHashMap<>();

    abstract TestDb db();

    /** A logged-in admin browser for the server of {@code mode}, logged in once. */
    private Http admin(String mode) {
        return ADMINS.computeIfAbsent(servers().byMode.get(mode).url(), url -> {
            Http http = new Http(url);
            http.login();
            return http;
        });
    }

    abstract Servers servers();

    @Test
    @Order(1)
    void everyPage_inEveryMode_rendersIdenticalHtml_firstRequestAndCached() {
        Http reference = new Http(servers().byMode.get("off/orm").url());
        List<String> pages = pagesToCompare(reference);
        Map<String, String> expected = new java.util.HashMap<>();
        for (String page : pages) {
            expected.put(page, reference.html(page));
        }
        for (var server : servers().byMode.entrySet()) {
            Http http = new Http(server.getValue().url());
            for (int round = 1; round <= 2; round++) {
                for (String page : pages) {
                    assertThat(http.html(page))
                            .as("%s in %s, request %d", page, server.getKey(), round)
                            .isEqualTo(expected.get(page));
                }
            }
            if (!server.getKey().startsWith("off/")) {
                long hits = server.getValue().larder().stats().values().stream()
                        .mapToLong(RegionStats::hits).sum();
                // the second round at least is served from the cache
                assertThat(hits).as("cache hits in %s", server.getKey())
                        .isGreaterThanOrEqualTo(pages.size());
            }
        }
    }

    @Test
    @Order(2)
    void adminEditOfTitle_isVisibleOnNextRequest_toHomePostAndTagPages_inEveryMode() {
        for (var server : servers().byMode.entrySet()) {
            Http visitor = new Http(server.getValue().url());
            String home = visitor.html("/en/");
            String slug = first(POST, home);
            String post = visitor.html("/en/post/" + slug);
            String tag = first(TAG, post);
            visitor.html(tag);
            long id = Long.parseLong(slug.substring(slug.lastIndexOf('-') + 1));

            Http admin = admin(server.getKey());
            String csrf = Http.csrf(admin.html("/admin"));
            String title = "Edited in " + server.getKey().replace('/', ' ') + " "
                    + System.nanoTime();
            assertThat(admin.post("/admin/posts/" + id + "/en", Map.of("csrf", csrf,
                    "title", title, "summary", "New *summary*", "body", "New body"))
                    .statusCode()).isEqualTo(303);

            assertThat(visitor.html("/en/")).as("home in %s", server.getKey()).contains(title);
            assertThat(visitor.html("/en/post/" + slug)).as("post in %s", server.getKey())
                    .contains(title).contains("New body");
            assertThat(visitor.html(tag)).as("tag page in %s", server.getKey()).contains(title);
        }
    }

    @Test
    @Order(3)
    void commentApproval_updatesCountsAndRecentComments_inEveryMode() throws Exception {
        int n = 0;
        for (var server : servers().byMode.entrySet()) {
            // each server has its own cache over the shared database: each approves on its own post
            Http visitor = new Http(server.getValue().url());
            String slug = nth(POST, visitor.html("/en/"), ++n);
            long before = commentCount(visitor.html("/en/"), slug);
            assertThat(visitor.html("/en/post/" + slug)).contains(before + " comments");
            String text = "Pending comment for " + server.getKey() + " " + System.nanoTime();
            long commentId = insertPendingComment(slug, text);
            assertThat(visitor.html("/en/post/" + slug)).doesNotContain(text);

            Http admin = admin(server.getKey());
            String csrf = Http.csrf(admin.html("/admin"));
            assertThat(admin.post("/admin/comments/" + commentId + "/approve",
                    Map.of("csrf", csrf)).statusCode()).isEqualTo(303);

            String home = visitor.html("/en/");
            assertThat(commentCount(home, slug)).as("home count in %s", server.getKey())
                    .isEqualTo(before + 1);
            assertThat(home).as("recent comments in %s", server.getKey()).contains(text);
            assertThat(visitor.html("/en/post/" + slug)).as("post in %s", server.getKey())
                    .contains((before + 1) + " comments").contains(text);
        }
    }

    private long insertPendingComment(String slug, String text) throws Exception {
        try (Connection c = db().db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO comment (translation_id,"
                     + " author_name, body, created_at, approved) SELECT id, 'tester', ?, ?, FALSE"
                     + " FROM post_translation WHERE lang = 'en' AND slug = ?",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, text);
            ps.setObject(2, LocalDateTime.now(ZoneOffset.UTC).plusYears(10));
            ps.setString(3, slug);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    static long commentCount(String listHtml, String slug) {
        Matcher m = Pattern.compile("href=\"/en/post/" + Pattern.quote(slug)
                + "\">[^<]*</a></h2>\\s*<p class=\"meta\">[^<]*· (\\d+) comments</p>")
                .matcher(listHtml);
        assertThat(m.find()).as("%s in list", slug).isTrue();
        return Long.parseLong(m.group(1));
    }

    static List<String> pagesToCompare(Http http) {
        String home = http.html("/en/");
        Set<String> pages = new LinkedHashSet<>(List.of("/en/", "/en/page/2", "/de/", "/fr/",
                "/es/page/2"));
        Matcher posts = POST.matcher(home);
        for (int i = 0; i < 3 && posts.find(); i++) {
            pages.add("/en/post/" + posts.group(1));
        }
        pages.add(first(TAG, home));
        String month = first(MONTH, home);
        pages.add(month);
        return new ArrayList<>(pages);
    }

    static String nth(Pattern pattern, String html, int n) {
        Matcher m = pattern.matcher(html);
        for (int i = 0; i < n; i++) {
            assertThat(m.find()).as("%s #%d in page", pattern, n).isTrue();
        }
        return m.group(1);
    }

    static String first(Pattern pattern, String html) {
        Matcher m = pattern.matcher(html);
        assertThat(m.find()).as("%s in page", pattern).isTrue();
        return m.group(1);
    }
}
