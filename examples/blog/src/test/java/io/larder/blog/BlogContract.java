package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.RegionStats;
import io.larder.blog.cache.CacheMode;
import io.larder.blog.web.Messages;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.YearMonth;
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
    private static final Pattern TAG_SLUG = Pattern.compile("href=\"/en/tag/([a-z0-9-]+)\"");
    private static final Pattern DB_QUERIES = Pattern.compile("db;desc=\"(\\d+) quer");
    private static final Pattern CREATED = Pattern.compile("/admin/posts/(\\d+)/en");
    /** The English words of the blog: "1 comment", "2 comments". */
    private static final Messages COMMENTS = Messages.of("en");

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
            Servers.caughtUp(server.getValue()); // with the other servers' edits, so far
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
    void adminEditOfTitle_isVisibleOnNextRequest_toHomePostTagAndMonthPages_inEveryMode() {
        for (var server : servers().byMode.entrySet()) {
            Servers.caughtUp(server.getValue()); // with the other servers' edits, so far
            Http visitor = new Http(server.getValue().url());
            String home = visitor.html("/en/");
            String slug = firstNotInColumn(home);
            String post = visitor.html("/en/post/" + slug);
            String tag = first(TAG, post);
            Matcher day = Pattern.compile("<p class=\"meta\">[^<]* · (\\d{4})-(\\d{2})-\\d{2}</p>")
                    .matcher(post);
            assertThat(day.find()).as("the date of %s", slug).isTrue();
            String month = "/en/archive/" + day.group(1) + "/" + day.group(2);
            // Pages that do not show the post (in other languages, or other English pages
            // whose lists and column do not link it) must stay cached: the edit is precise.
            List<String> others = new ArrayList<>(List.of("/de/", "/fr/page/2"));
            for (String page : List.of("/en/page/3", "/en/page/4", "/en/page/5")) {
                if (!visitor.html(page).contains("/en/post/" + slug + "\"")) {
                    others.add(page);
                }
            }
            assertThat(others).as("English pages not showing %s", slug).hasSizeGreaterThan(2);
            for (String page : concat(List.of(tag, month), others)) {
                visitor.html(page);
                visitor.html(page);
            }
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
            assertThat(visitor.html(month)).as("month in %s", server.getKey()).contains(title);
            assertCached(server.getKey(), visitor, others);
        }
    }

    @Test
    @Order(3)
    void commentApproval_updatesCountsAndRecentComments_inEveryMode() throws Exception {
        int n = 0;
        for (var server : servers().byMode.entrySet()) {
            Servers.caughtUp(server.getValue()); // with the other servers' edits, so far
            // each server has its own cache over the shared database: each approves on its own post
            Http visitor = new Http(server.getValue().url());
            String slug = nth(POST, visitor.html("/en/"), ++n);
            long before = commentCount(visitor.html("/en/"), slug);
            assertThat(visitor.html("/en/post/" + slug))
                    .contains(COMMENTS.text("comments", before));
            String text = "Pending comment for " + server.getKey() + " " + System.nanoTime();
            long commentId = insertPendingComment(slug, text);
            assertThat(visitor.html("/en/post/" + slug)).doesNotContain(text);
            visitor.html("/de/");
            visitor.html("/de/");

            Http admin = admin(server.getKey());
            String csrf = Http.csrf(admin.html("/admin"));
            assertThat(admin.post("/admin/comments/" + commentId + "/approve",
                    Map.of("csrf", csrf)).statusCode()).isEqualTo(303);

            String home = visitor.html("/en/");
            assertThat(commentCount(home, slug)).as("home count in %s", server.getKey())
                    .isEqualTo(before + 1);
            assertThat(home).as("recent comments in %s", server.getKey()).contains(text);
            assertThat(visitor.html("/en/post/" + slug)).as("post in %s", server.getKey())
                    .contains(COMMENTS.text("comments", before + 1)).contains(text);
            assertCached(server.getKey(), visitor, List.of("/de/"));
        }
    }

    @Test
    @Order(4)
    void newPost_createdPublishedTranslatedCommentedAndHidden_isFreshEverywhere_inEveryMode()
            throws Exception {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        String month = String.format("/en/archive/%04d/%02d", now.getYear(), now.getMonthValue());
        for (var server : servers().byMode.entrySet()) {
            Servers.caughtUp(server.getValue()); // with the other servers' edits, so far
            String mode = server.getKey();
            Http visitor = new Http(server.getValue().url());
            Http admin = admin(mode);
            String tagSlug = first(TAG_SLUG, visitor.html("/en/"));
            String tag = "/en/tag/" + tagSlug;
            List<String> pages = List.of("/en/", "/en/page/2", tag, "/de/", "/de/tag/" + tagSlug);
            for (String page : pages) {
                visitor.html(page);
                visitor.html(page);
            }
            Column before = column(visitor.html("/en/page/2"), tagSlug, month);

            // Created hidden: no page shows it, so nothing cached is reloaded.
            String title = "Fresh in " + mode.replace('/', ' ') + " " + System.nanoTime();
            long id = create(admin, title, tagSlug);
            assertCached(mode, visitor, pages);
            assertThat(visitor.html("/en/")).doesNotContain(title);

            // Published: listed on the home, tag and month pages, counted in every column.
            assertThat(setPublished(admin, id, true)).isEqualTo(303);
            String home = visitor.html("/en/");
            assertThat(home).as("home in %s", mode).contains(title);
            String slug = first(Pattern.compile("href=\"/en/post/([a-z0-9-]+)\">"
                    + Pattern.quote(title) + "<"), home);
            assertThat(visitor.html(tag)).as("tag page in %s", mode).contains(title);
            assertThat(visitor.html(month)).as("month in %s", mode).contains(title);
            assertThat(visitor.html("/en/post/" + slug)).as("post in %s", mode).contains(title);
            assertThat(column(visitor.html("/en/page/2"), tagSlug, month))
                    .as("column counts in %s", mode)
                    .isEqualTo(new Column(before.tag() + 1, before.month() + 1));
            assertCached(mode, visitor, List.of("/de/", "/de/tag/" + tagSlug));

            // Translated: the new language lists it too.
            String deTitle = "Frisch in " + mode.replace('/', ' ') + " " + System.nanoTime();
            assertThat(admin.post("/admin/posts/" + id + "/de", Map.of("csrf",
                    Http.csrf(admin.html("/admin")), "title", deTitle, "summary", "Neu",
                    "body", "Neu")).statusCode()).isEqualTo(303);
            assertThat(visitor.html("/de/")).as("de home in %s", mode).contains(deTitle);
            assertThat(visitor.html("/de/tag/" + tagSlug)).as("de tag in %s", mode)
                    .contains(deTitle);

            // A comment approved: counted on its post, first of the recent comments everywhere.
            String text = "First on fresh " + System.nanoTime();
            long commentId = insertPendingComment(slug, text);
            assertThat(admin.post("/admin/comments/" + commentId + "/approve",
                    Map.of("csrf", Http.csrf(admin.html("/admin")))).statusCode()).isEqualTo(303);
            assertThat(commentCount(visitor.html("/en/"), slug)).isEqualTo(1);
            assertThat(visitor.html("/en/page/2")).as("recent comments in %s", mode)
                    .contains(text);

            // Hidden again: gone from every list, page and count, in both languages.
            assertThat(setPublished(admin, id, false)).isEqualTo(303);
            assertThat(visitor.html("/en/")).as("home in %s", mode).doesNotContain(title);
            assertThat(visitor.html(tag)).as("tag page in %s", mode).doesNotContain(title);
            assertThat(visitor.get(month).body()).as("month in %s", mode).doesNotContain(title);
            assertThat(visitor.get("/en/post/" + slug).statusCode()).isEqualTo(404);
            assertThat(visitor.html("/de/")).as("de home in %s", mode).doesNotContain(deTitle);
            String column = visitor.html("/en/page/2");
            assertThat(column).as("recent comments in %s", mode).doesNotContain(text);
            assertThat(column(column, tagSlug, month)).as("column counts in %s", mode)
                    .isEqualTo(before);
        }
    }

    @Test
    @Order(5)
    void failedAdminSave_rollsBack_andLeavesCachedPagesAsTheyWere_inEveryMode()
            throws Exception {
        execute("ALTER TABLE post_translation ADD CONSTRAINT blog_test_rejected"
                + " CHECK (title NOT LIKE 'Rejected%')");
        try {
            for (var server : servers().byMode.entrySet()) {
            Servers.caughtUp(server.getValue()); // with the other servers' edits, so far
                Http visitor = new Http(server.getValue().url());
                String home = visitor.html("/en/");
                String slug = first(POST, home);
                String post = visitor.html("/en/post/" + slug);
                List<String> pages = List.of("/en/", "/en/post/" + slug, first(TAG, post),
                        first(MONTH, home), "/en/page/2");
                Map<String, String> before = new java.util.HashMap<>();
                for (String page : pages) {
                    visitor.html(page);
                    before.put(page, visitor.html(page));
                }
                long id = Long.parseLong(slug.substring(slug.lastIndexOf('-') + 1));

                Http admin = admin(server.getKey());
                assertThat(admin.post("/admin/posts/" + id + "/en", Map.of("csrf",
                        Http.csrf(admin.html("/admin")), "title", "Rejected " + System.nanoTime(),
                        "summary", "Never", "body", "Never")).statusCode())
                        .as("a save the database refuses, in %s", server.getKey()).isEqualTo(500);

                assertCached(server.getKey(), visitor, pages);
                for (String page : pages) {
                    assertThat(visitor.html(page)).as("%s in %s", page, server.getKey())
                            .isEqualTo(before.get(page));
                }
            }
        } finally {
            execute("ALTER TABLE post_translation DROP CONSTRAINT blog_test_rejected");
        }
    }

    /** The first post listed on {@code home} that its column does not link to. */
    static String firstNotInColumn(String home) {
        String column = home.substring(home.indexOf("<section class=\"cloud\">"));
        Matcher posts = POST.matcher(home.substring(0, home.indexOf("<section class=\"cloud\">")));
        while (posts.find()) {
            if (!column.contains("/en/post/" + posts.group(1) + "\"")) {
                return posts.group(1);
            }
        }
        throw new AssertionError("every post of the home page is in its column");
    }

    /** The tag's count and the month's count in a page's column (0 when not listed). */
    record Column(long tag, long month) { }

    static Column column(String html, String tagSlug, String monthPath) {
        return new Column(count(html, "/en/tag/" + tagSlug), count(html, monthPath));
    }

    private static long count(String html, String path) {
        Matcher m = Pattern.compile("href=\"" + Pattern.quote(path) + "\">[^<]*</a> \\((\\d+)\\)")
                .matcher(html);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** In a caching mode, each page is served from the cache: no database query ran for it. */
    private static void assertCached(String mode, Http visitor, List<String> pages) {
        if (mode.startsWith("off/")) {
            return;
        }
        for (String page : pages) {
            String timing = visitor.get(page).headers().firstValue("Server-Timing").orElseThrow();
            Matcher queries = DB_QUERIES.matcher(timing);
            assertThat(queries.find()).as("db in Server-Timing %s", timing).isTrue();
            assertThat(Integer.parseInt(queries.group(1)))
                    .as("queries for %s in %s (still cached)", page, mode).isZero();
        }
    }

    private static long create(Http admin, String title, String tagSlug) {
        var created = admin.post("/admin/posts", Map.of("csrf", Http.csrf(admin.html("/admin")),
                "lang", "en", "title", title, "summary", "Fresh *summary*", "body", "Fresh body",
                "tags", tagSlug));
        assertThat(created.statusCode()).isEqualTo(303);
        return Long.parseLong(first(CREATED, created.headers().firstValue("Location")
                .orElseThrow()));
    }

    private static int setPublished(Http admin, long id, boolean published) {
        return admin.post("/admin/posts/" + id + "/published", Map.of("csrf",
                Http.csrf(admin.html("/admin")), "published", String.valueOf(published)))
                .statusCode();
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db().db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
                + "\">[^<]*</a></h2>\\s*<p class=\"meta\">[^<]*· (\\d+) comments?</p>")
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
