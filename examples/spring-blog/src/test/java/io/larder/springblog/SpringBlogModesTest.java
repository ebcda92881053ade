package io.larder.springblog;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import io.larder.blog.cache.CacheMode;
import io.larder.http.HttpCaching;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring blog in its four cache modes, side by side on one H2 database (seeded once): every
 * mode sends the bytes mode {@code off} sends, first request and cached; an admin's edit is on
 * the next request in every mode; a signed-in admin's page never reaches an anonymous visitor;
 * a cached page goes in Brotli to browsers that accept it (brotli4j is on the class path).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBlogModesTest {
    private static final Pattern HREF = Pattern.compile("href=\"(/[a-z]{2}/(?:post|tag|archive)/[^\"]+)\"");
    private static final Blogs BLOGS = new Blogs();
    private static final Map<CacheMode, ConfigurableApplicationContext> APPS =
            new EnumMap<>(CacheMode.class);

    @BeforeAll
    static void start() {
        for (CacheMode mode : CacheMode.values()) {
            APPS.put(mode, BLOGS.start(mode, "jdbc:h2:mem:spring-blog-modes;DB_CLOSE_DELAY=-1"));
        }
    }

    @AfterAll
    static void stop() {
        BLOGS.close();
    }

    private static Browser visitor(CacheMode mode) {
        return Blogs.browser(APPS.get(mode));
    }

    /** The home pages, second pages, and the posts, tags and months they link to. */
    private static List<String> paths() {
        Set<String> paths = new LinkedHashSet<>(List.of("/en/", "/de/", "/fr/", "/es/",
                "/en/page/2", "/de/page/2"));
        String home = visitor(CacheMode.OFF).html("/en/");
        for (String kind : List.of("/post/", "/tag/", "/archive/")) {
            Matcher m = HREF.matcher(home);
            int found = 0;
            while (m.find() && found < 2) {
                if (m.group(1).contains(kind)) {
                    paths.add(m.group(1));
                    found++;
                }
            }
            assertThat(found).as("links to %s on /en/", kind).isEqualTo(2);
        }
        return new ArrayList<>(paths);
    }

    @Test
    @Order(0)
    void pageMode_theHomePages_areWarmed_aHitOnTheFirstRequest() {
        for (String home : List.of("/en/", "/de/", "/fr/", "/es/")) {
            HttpResponse<String> first = visitor(CacheMode.PAGE).get(home);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Server-Timing").orElseThrow()).as(home)
                    .contains("cache.page;desc=\"hit\"");
        }
    }

    @Test
    @Order(0)
    void pageMode_sendsTheStoredBrotliForm_toBrowsersThatAcceptIt() throws Exception {
        Browser browser = visitor(CacheMode.PAGE);
        HttpResponse<String> identity = browser.get("/en/");
        HttpResponse<byte[]> br = browser.encoded("/en/", "gzip, deflate, br");

        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(new String(Decoder.decompress(br.body()).getDecompressedData(),
                StandardCharsets.UTF_8))
                .isEqualTo(identity.body());
        assertThat(br.headers().firstValue("ETag")).hasValue(HttpCaching.tagged(
                identity.headers().firstValue("ETag").orElseThrow(), "br"));
    }

    @Test
    @Order(1)
    void everyMode_rendersTheBytesOfModeOff_firstRequestAndCached() {
        for (String path : paths()) {
            String off = visitor(CacheMode.OFF).html(path);
            for (CacheMode mode : List.of(CacheMode.QUERY, CacheMode.FRAGMENT, CacheMode.PAGE)) {
                Browser browser = visitor(mode);
                assertThat(browser.html(path)).as("%s in %s, first", path, mode).isEqualTo(off);
                assertThat(browser.html(path)).as("%s in %s, cached", path, mode).isEqualTo(off);
            }
        }
        HttpResponse<String> cached = visitor(CacheMode.PAGE).get("/en/");
        assertThat(cached.headers().firstValue("ETag")).isPresent();
        assertThat(cached.headers().firstValue("Server-Timing").orElseThrow())
                .contains("cache.page;desc=\"hit\"");
    }

    @Test
    @Order(2)
    void anAdminsEdit_isOnTheNextRequest_inEveryMode() {
        List<String> posts = paths().stream().filter(p -> p.startsWith("/en/post/")).toList();
        int n = 0;
        for (CacheMode mode : CacheMode.values()) {
            String path = posts.get(n++ % posts.size());
            Browser anonymous = visitor(mode);
            anonymous.html(path);
            anonymous.html("/en/");
            String before = anonymous.html(path);
            String title = "Edited in " + mode + " " + System.nanoTime();
            Blogs.edit(APPS.get(mode), path, title);

            assertThat(before).doesNotContain(title);
            assertThat(anonymous.html(path)).as("post page in %s", mode).contains(title)
                    .contains("<em>body</em>");
            // paths() takes the first post links of /en/: its own list's
            assertThat(anonymous.html("/en/")).as("home in %s", mode).contains(title);
        }
    }

    @Test
    @Order(3)
    void pageMode_aSignedInAdminsPage_neverReachesAnonymousVisitors() {
        Browser admin = visitor(CacheMode.PAGE).signIn(Blogs.PASSWORD);
        Browser anonymous = visitor(CacheMode.PAGE);
        Map<String, String> signedIn = Map.of("/en/", "Signed in as", "/de/page/2",
                "Angemeldet als", "/fr/", "Connecté en tant que", "/es/", "Conectado como");
        signedIn.forEach((path, words) -> {
            if (path.startsWith("/es/")) {
                anonymous.html(path); // the anonymous page is stored before the admin asks
            }
            HttpResponse<String> own = admin.get(path);
            assertThat(own.body()).as(path).contains(words).contains("name=\"csrf\"");
            assertThat(own.headers().firstValue("Cache-Control")).hasValue("private, no-store");
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> other = anonymous.get(path);
                assertThat(other.body()).as(path).doesNotContain(words)
                        .doesNotContain("name=\"csrf\"").doesNotContain("/admin/logout");
                assertThat(other.headers().firstValue("Cache-Control"))
                        .hasValue("public, max-age=0, must-revalidate");
            }
            assertThat(admin.html(path)).contains(words);
        });
    }

    @Test
    @Order(4)
    void unknownPages_are404s_inThePathsLanguage_inEveryMode() {
        for (CacheMode mode : CacheMode.values()) {
            Browser browser = visitor(mode);
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> missing = browser.get("/de/post/gibt-es-nicht");
                assertThat(missing.statusCode()).as("%s", mode).isEqualTo(404);
                assertThat(missing.body()).contains("Seite nicht gefunden");
                assertThat(browser.get("/en/page/999").statusCode()).isEqualTo(404);
                assertThat(browser.get("/xx/").statusCode()).isEqualTo(404);
                assertThat(browser.get("/fr/archive/1999/01").body()).contains("Page introuvable");
            }
        }
    }
}
