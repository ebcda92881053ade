package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.StoreKind;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blog behind a real Varnish with the README's VCL (vmod_xkey, and stock Varnish's ban):
 * Varnish keeps the pages (a hit answers them), the admin edits a post on the blog, and the
 * pages through Varnish show the edit soon after, because the blog purged the tags they carry.
 * Prints how long each edit took to show through Varnish (the figure: within 1 s).
 */
class VarnishBlogTest {
    private static final int EDITS = 5;
    private static final Pattern PURGES = Pattern.compile(
            "<table id=\"purges\">.*?<tbody><tr><td>(\\d+)</td><td>(\\d+)</td><td>(\\d+)</td>"
                    + "<td>(\\d+)</td>");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xkey.vcl", "ban.vcl"})
    void pagesKeptByVarnish_showAnAdminsEditSoonAfter(String vcl) throws Exception {
        int varnishPort = Varnish.freePort();
        try (TestDb db = TestDb.h2();
                BlogServer blog = BlogNode.start(db, BlogNode.config(db, dir.resolve("blog"),
                        CacheMode.PAGE, StoreKind.MEMORY, null)
                        .withPurge(List.of("varnish=http://127.0.0.1:" + varnishPort)));
                Varnish varnish = Varnish.start(dir, vcl, varnishPort, blog.port())) {
            BlogEdits post = BlogEdits.firstPost(blog);
            Http visitor = new Http(varnish.url());
            assertThat(new Http(blog.url()).get(post.pages.get(1)).headers().firstValue("xkey"))
                    .as("the blog names the post page's tags").isPresent();
            for (String page : post.pages) {
                cachedByVarnish(visitor, page);
            }

            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < EDITS; i++) {
                for (String page : post.pages) {
                    cachedByVarnish(visitor, page);
                }
                String title = post.edit(blog, "Through Varnish " + i + " " + vcl);
                long edited = System.nanoTime();
                long deadline = edited + 30_000_000_000L;
                List<String> stale = stale(visitor, post.pages, title);
                while (!stale.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    stale = stale(visitor, post.pages, title);
                }
                assertThat(stale).as("pages through Varnish still without edit %d", i).isEmpty();
                delays.add((System.nanoTime() - edited) / 1_000_000);
            }

            Collections.sort(delays);
            System.out.printf(Locale.ROOT, "VarnishBlogTest %s: an edit showed through Varnish"
                    + " after p50 %d ms, max %d ms (%d edits, 3 pages each: %s)%n", vcl,
                    delays.get(delays.size() / 2), delays.get(delays.size() - 1), EDITS, delays);
            String homeTags = new Http(blog.url()).get(post.pages.get(0)).headers()
                    .firstValue("xkey").orElse("");
            System.out.printf(Locale.ROOT, "VarnishBlogTest %s: the home page names %d tags in"
                    + " %d bytes of xkey: %.200s%n", vcl, homeTags.split(" ").length,
                    homeTags.length(), homeTags);
            Http admin = new Http(blog.url());
            admin.login();
            Matcher purges = PURGES.matcher(admin.html("/admin/cache"));
            assertThat(purges.find()).as("the dashboard's purge counters").isTrue();
            assertThat(Long.parseLong(purges.group(1))).as("purges sent").isPositive();
            assertThat(Long.parseLong(purges.group(3))).as("purges failed").isZero();
        }
    }

    /** Reads {@code page} through Varnish until Varnish answers it from its cache. */
    private static void cachedByVarnish(Http visitor, String page) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            HttpResponse<String> response = visitor.get(page);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("xkey")).as("tags kept from visitors")
                    .isEmpty();
            // A hit names two transactions: this one and the one that stored the object.
            if (response.headers().firstValue("X-Varnish").orElse("").contains(" ")) {
                return;
            }
            assertThat(System.nanoTime()).as("%s kept by Varnish", page).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static List<String> stale(Http visitor, List<String> pages, String title) {
        List<String> stale = new ArrayList<>();
        for (String page : pages) {
            if (!visitor.html(page).contains(title)) {
                stale.add(page);
            }
        }
        return stale;
    }
}
