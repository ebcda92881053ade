package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.admin.Passwords;
import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.CacheTags;
import io.larder.blog.cache.StoreKind;
import io.larder.blog.web.Langs;
import io.larder.blog.web.Messages;
import io.larder.testing.Soak;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy across visitors: an anonymous visitor, one with a forged session cookie and two
 * different signed-in users (the seeded admin and a second author added here) on every page of
 * the blog — home and list pages, posts, tags, months, in each language, 404s and the admin
 * pages — in every cache mode on the memory,
 * file and Redis stores, asked in adversarial orders: users first on a cold cache, shuffled,
 * after an edit, and concurrently. A user's markers (name, CSRF tokens, session id) never reach
 * another visitor; anonymous answers are byte-identical to those of a server nobody ever signed
 * in to; a user's public page is that same page plus their own user bar. In page mode the blog
 * runs the page cache's fast path (a Jetty handler in front of Javalin's routing): the test checks
 * that it answered there, and only visitors without a cookie.
 */
class PrivacyTest {
    private static final String EDITOR = "zelda";
    private static final String EDITOR_NAME = "Zelda Privacy-Tester";
    private static final String EDITOR_PASSWORD = "test-password-2";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern USER_BAR = Pattern.compile("<div class=\"user\">.*?</form></div>",
            Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile(
            "href=\"(/[a-z]{2}/(?:post/[a-z0-9-]+|tag/[a-z0-9-]+|archive/\\d{4}/\\d{2}))\"");
    private static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    static Path dir;
    private static TestDb db;
    private static BlogServer reference;
    private static final Map<String, BlogServer> SERVERS = new LinkedHashMap<>();
    private static final Map<String, List<Visitor>> VISITORS = new LinkedHashMap<>();
    private static List<String> pages;
    private static long editedPost;

    /**
     * One visitor of one server: the cookies it sends, the markers that are its alone.
     *
     * @param name "anonymous", "forged" (an unknown session cookie), "admin" or "editor"
     * @param cookie the Cookie header, or null
     * @param displayName the name shown in the user bar, or null
     * @param csrf the session's CSRF token, or null
     * @param markers strings that must appear in no other visitor's response
     */
    private record Visitor(String name, String cookie, String displayName, String csrf,
            Set<String> markers) {
        boolean anonymous() {
            return displayName == null;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.h2();
        addSecondAuthor();
        reference = BlogNode.start(db, dir.resolve("reference"), CacheMode.OFF, StoreKind.MEMORY);
        List<StoreKind> stores = new ArrayList<>(List.of(StoreKind.MEMORY, StoreKind.FILE));
        if (redisReachable()) {
            stores.add(StoreKind.REDIS);
        }
        for (StoreKind store : stores) {
            for (CacheMode mode : CacheMode.values()) {
                String name = mode.name().toLowerCase() + "/" + store.name().toLowerCase();
                // Redis nodes share a data folder, so their HMAC secret (made there) too.
                Path data = dir.resolve(store == StoreKind.REDIS ? "redis"
                        : name.replace('/', '-'));
                BlogServer server = BlogNode.start(db, data, mode, store,
                        store == StoreKind.REDIS ? REDIS : null);
                SERVERS.put(name, server);
            }
        }
        pages = allPages(reference.url());
        for (var e : SERVERS.entrySet()) {
            String url = e.getValue().url();
            VISITORS.put(e.getKey(), List.of(new Visitor("anonymous", null, null, null, Set.of()),
                    signIn(url, "admin", TestDb.ADMIN_PASSWORD), signIn(url, EDITOR,
                            EDITOR_PASSWORD), new Visitor("forged", "blog_session="
                            + Passwords.token(), null, null, Set.of())));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        SERVERS.values().forEach(BlogServer::close);
        if (reference != null) {
            reference.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static boolean redisReachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
            return true;
        } catch (IOException e) {
            String why = "no Redis on 127.0.0.1:6379 (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI must run the Redis store too");
            }
            System.out.println("PrivacyTest: " + why + "; the Redis store is left out");
            return false;
        }
    }

    /** A second author who can sign in, added through JDBC as an admin tool would. */
    private static void addSecondAuthor() throws Exception {
        try (Connection c = db.db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO author (username,"
                     + " display_name, password_hash) VALUES (?, ?, ?)")) {
            ps.setString(1, EDITOR);
            ps.setString(2, EDITOR_NAME);
            ps.setString(3, Passwords.hash(EDITOR_PASSWORD.toCharArray()));
            assertThat(ps.executeUpdate()).isEqualTo(1);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** Every kind of page: lists, posts, tags and months in each language, 404s, admin pages. */
    private static List<String> allPages(String url) {
        Set<String> all = new LinkedHashSet<>();
        for (String lang : List.of("en", "de", "fr", "es")) {
            all.add("/" + lang + "/");
            all.add("/" + lang + "/page/2");
            String home = get(url + "/" + lang + "/", null).body();
            Set<String> kinds = new LinkedHashSet<>();
            Matcher m = LINK.matcher(home);
            while (m.find()) {
                String kind = m.group(1).split("/")[2];
                if (kinds.add(kind)) {
                    all.add(m.group(1));
                }
            }
            assertThat(kinds).as("links on %s home", lang).contains("post", "tag", "archive");
        }
        String post = all.stream().filter(p -> p.startsWith("/en/post/")).findFirst()
                .orElseThrow();
        editedPost = Long.parseLong(post.substring(post.lastIndexOf('-') + 1));
        all.addAll(List.of("/nope", "/en/post/does-not-exist-1", "/de/page/99999",
                "/admin", "/admin/login", "/admin/posts/new", "/admin/posts/" + editedPost + "/en",
                "/admin/cache"));
        return new ArrayList<>(all);
    }

    /** Signs in as {@code user} through the login form; the dashboard's CSRF cookie too. */
    private static Visitor signIn(String url, String user, String password) {
        HttpResponse<String> form = get(url + "/admin/login", null);
        String loginCookie = cookies(form);
        HttpResponse<String> login = post(url + "/admin/login", loginCookie, Map.of("csrf",
                csrf(form.body()), "username", user, "password", password));
        assertThat(login.statusCode()).as("login of %s: %s", user, login.body()).isEqualTo(303);
        String session = cookies(login);
        HttpResponse<String> dashboard = get(url + "/admin/cache", session);
        String cookie = session + "; " + cookies(dashboard);
        String csrf = csrf(get(url + "/admin", cookie).body());
        String displayName = user.equals("admin") ? "Admin" : EDITOR_NAME;
        Set<String> markers = new LinkedHashSet<>(List.of(csrf, csrf(dashboard.body())));
        for (String lang : Langs.ALL) {
            markers.add(Messages.of(lang).text("user.signedInAs", displayName));
        }
        for (String pair : cookie.split("; ")) {
            markers.add(pair.substring(pair.indexOf('=') + 1));
        }
        if (!user.equals("admin")) {
            markers.add(EDITOR_NAME);
        }
        return new Visitor(user.equals("admin") ? "admin" : "editor", cookie, displayName, csrf,
                markers);
    }

    @Test
    void noVisitorSeesAnotherVisitorsBytes_onAnyPage_inAnyModeOrStore_inAdversarialOrders()
            throws Exception {
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Map<String, HttpResponse<String>> expected = anonymousReference();

        // 1. Signed-in users first, on caches that have seen no visitor yet.
        for (var server : SERVERS.entrySet()) {
            List<Visitor> visitors = VISITORS.get(server.getKey());
            for (Visitor visitor : List.of(visitors.get(1), visitors.get(2), visitors.get(0),
                    visitors.get(3))) {
                for (String page : pages) {
                    check(server.getKey(), visitor, page, expected, counts, violations);
                }
            }
        }
        count(counts, "phase users-first", SERVERS.size() * 4L * pages.size());

        // 2. Shuffled: every visitor on every page of every server, in a random order.
        long seed = new Random().nextLong();
        List<Object[]> requests = new ArrayList<>();
        int rounds = Soak.rounds(2, 20);
        for (int round = 0; round < rounds; round++) {
            for (String server : SERVERS.keySet()) {
                for (Visitor visitor : VISITORS.get(server)) {
                    for (String page : pages) {
                        requests.add(new Object[] {server, visitor, page});
                    }
                }
            }
        }
        Collections.shuffle(requests, new Random(seed));
        for (Object[] r : requests) {
            check((String) r[0], (Visitor) r[1], (String) r[2], expected, counts, violations);
        }
        count(counts, "phase shuffled", requests.size());

        // 3. The editor changes a title through one server's admin: its commit invalidates that
        // server's cache (and, in page mode, re-warms). The other servers keep their own caches
        // on the same database and do not hear of another server's commits (nodes that should
        // share a cache share a store), so they are told by the tag the change invalidates.
        String title = "Edited by the editor " + System.nanoTime();
        var first = SERVERS.entrySet().iterator().next();
        Visitor editor = VISITORS.get(first.getKey()).get(2);
        HttpResponse<String> saved = post(first.getValue().url() + "/admin/posts/"
                + editedPost + "/en", editor.cookie(), Map.of("csrf", editor.csrf(),
                "title", title, "summary", "Edited *summary*", "body", "Edited body"));
        assertThat(saved.statusCode()).as("edit on %s", first.getKey()).isEqualTo(303);
        for (BlogServer server : SERVERS.values()) {
            if (server != first.getValue()) {
                server.larder().invalidateTag(CacheTags.post(editedPost, "en"));
            }
        }
        Map<String, HttpResponse<String>> edited = anonymousReference();
        assertThat(edited.get("/en/").body()).contains(title);
        List<String> servers = new ArrayList<>(SERVERS.keySet());
        int concurrent = Soak.rounds(1_500, 60_000);
        List<Throwable> failures = Load.parallel(8, concurrent, i -> {
            Random random = new Random(seed + i);
            String server = servers.get(random.nextInt(servers.size()));
            List<Visitor> visitors = VISITORS.get(server);
            check(server, visitors.get(random.nextInt(visitors.size())),
                    pages.get(random.nextInt(pages.size())), edited, counts, violations);
        });
        count(counts, "phase concurrent", concurrent);

        Map<String, Long> report = new LinkedHashMap<>();
        report.put("servers", (long) SERVERS.size());
        report.put("pages", (long) pages.size());
        report.put("visitors", 4L);
        new java.util.TreeMap<>(counts).forEach((k, v) -> report.put(k, v.sum()));
        report.put("violations", (long) violations.size());
        Soak.report("blog-privacy", report);

        assertThat(failures).as("requests that threw (seed %d)", seed).isEmpty();
        for (String server : SERVERS.keySet()) {
            if (server.startsWith("page/")) {
                assertThat(counts.get("front " + server)).as("fast path answers in %s", server)
                        .isNotNull();
            }
        }
        assertThat(violations).as("privacy violations (seed %d)", seed).isEmpty();
        assertThat(counts.get("checked").sum()).isEqualTo(SERVERS.size() * 4L * pages.size()
                * (1 + rounds) + concurrent);
    }

    /** What an anonymous visitor gets from a server nobody ever signed in to, per page. */
    private static Map<String, HttpResponse<String>> anonymousReference() {
        Map<String, HttpResponse<String>> expected = new LinkedHashMap<>();
        for (String page : pages) {
            expected.put(page, get(reference.url() + page, null));
        }
        return expected;
    }

    /** Asks for {@code page} as {@code visitor}; records what was checked and any violation. */
    private static void check(String server, Visitor visitor, String page,
            Map<String, HttpResponse<String>> expected, Map<String, LongAdder> counts,
            List<String> violations) {
        HttpResponse<String> r = get(SERVERS.get(server).url() + page, visitor.cookie());
        String where = visitor.name() + " on " + page + " in " + server;
        String body = r.body();
        // The page cache's fast path says so in Server-Timing; it must answer only cookie-less
        // requests, and the end of the test checks that it answered in every page-mode server.
        if (r.headers().firstValue("Server-Timing").orElse("").endsWith(", front")) {
            count(counts, "front " + server, 1);
            if (visitor.cookie() != null) {
                violations.add(where + ": answered by the fast path despite a cookie");
            }
        }
        for (Visitor other : VISITORS.get(server)) {
            for (String marker : other == visitor ? Set.<String>of() : other.markers()) {
                if (body.contains(marker) || r.headers().map().toString().contains(marker)) {
                    violations.add(where + ": holds " + other.name() + "'s " + marker);
                    count(counts, "leaks", 1);
                }
            }
        }
        boolean publicPage = !page.startsWith("/admin");
        HttpResponse<String> reference = expected.get(page);
        String cacheControl = r.headers().firstValue("Cache-Control").orElse("");
        if (visitor.anonymous()) {
            String got = publicPage ? body : withoutToken(body);
            String want = publicPage ? reference.body() : withoutToken(reference.body());
            if (r.statusCode() != reference.statusCode() || !got.equals(want)) {
                violations.add(where + ": " + r.statusCode() + ", not the anonymous page ("
                        + reference.statusCode() + ")");
            }
            if (publicPage && (cacheControl.contains("private")
                    || r.headers().firstValue("Set-Cookie").isPresent())) {
                violations.add(where + ": private headers " + r.headers().map());
            }
        } else if (publicPage && r.statusCode() == 200) {
            String own = Messages.of(Langs.ofPath(page))
                    .text("user.signedInAs", visitor.displayName());
            if (!body.contains(own) || !body.contains(visitor.csrf())
                    || !USER_BAR.matcher(body).replaceFirst("").equals(reference.body())
                    || !cacheControl.equals("private, no-store")) {
                violations.add(where + ": not the anonymous page plus the user's own bar");
            }
        } else if (publicPage) {
            if (r.statusCode() != reference.statusCode() || !body.equals(reference.body())) {
                violations.add(where + ": " + r.statusCode() + ", not the error page");
            }
        } else if (r.statusCode() == 200 && (!cacheControl.contains("private")
                || (page.matches("/admin(/posts/.*)?") && !body.contains(visitor.displayName())))) {
            violations.add(where + ": an admin page not private or without the user's name");
        }
        count(counts, "checked", 1);
        count(counts, visitor.name() + " requests", 1);
    }

    private static String withoutToken(String body) {
        return CSRF.matcher(body).replaceAll("name=\"csrf\" value=\"\"");
    }

    private static void count(Map<String, LongAdder> counts, String name, long n) {
        counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("CSRF token in %s", html).isTrue();
        return m.group(1);
    }

    /** The name=value pairs of a response's Set-Cookie headers, joined for a Cookie header. */
    private static String cookies(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .collect(Collectors.joining("; "));
    }

    private static HttpResponse<String> get(String url, String cookie) {
        return cookie == null ? Load.get(url) : Load.get(url, "Cookie", cookie);
    }

    private static HttpResponse<String> post(String url, String cookie, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return Load.CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
