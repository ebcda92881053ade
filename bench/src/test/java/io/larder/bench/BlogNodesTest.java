package io.larder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.redis.RedisCluster;
import io.larder.testing.Services;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three blog JVMs ({@code java -cp <this test's class path> io.larder.blog.Main serve}, page
 * cache on {@code --store redis}) on one fresh PostgreSQL schema and a Redis Cluster of the
 * test's own (6 processes), behind HAProxy (round-robin): an admin edit made on any node is seen
 * on every node, asked directly and through the balancer. Every process is stopped at the end,
 * also on failure. PostgreSQL, {@code redis-server} or {@code haproxy} missing: fails under
 * {@code CI=true}, skipped otherwise.
 */
class BlogNodesTest {
    private static final Pattern POST = Pattern.compile("href=\"/en/post/([a-z0-9-]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    /** However busy the machine, a node hears an invalidation well within this. */
    private static final long PATIENCE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path work;

    @Test
    void anEditOnAnyNode_isSeenOnEveryNode_directlyAndThroughTheBalancer() throws Exception {
        Services.requirePostgres();
        if (HaProxy.binary().isEmpty()) {
            Services.missing("haproxy is not installed (.ci/haproxy installs it)");
        }
        try (RedisCluster cluster = RedisCluster.start();
             BlogNodes nodes = BlogNodes.seeded(System.getProperty("java.class.path"), work,
                     cluster.uri(), 60, 400)) {
            nodes.start(3, "page", Map.of());
            HaProxy balancer = nodes.balance(3);
            List<String> urls = nodes.urls();
            String home = page(balancer.url(), "/en/").body();
            Matcher post = POST.matcher(home);
            assertThat(post.find()).as("a post on the home page").isTrue();
            String slug = post.group(1);
            long id = Long.parseLong(slug.substring(slug.lastIndexOf('-') + 1));
            List<String> pages = List.of("/en/", "/en/post/" + slug);

            Set<String> servedBy = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                servedBy.add(page(balancer.url(), "/en/").headers()
                        .firstValue(HaProxy.SERVED_BY).orElse("?"));
            }
            assertThat(servedBy).as("three requests through the balancer, round-robin")
                    .containsExactlyInAnyOrder("n1", "n2", "n3");

            for (int editor = 0; editor < urls.size(); editor++) {
                for (String url : urls) { // every page cached on every node before the edit
                    for (String path : pages) {
                        page(url, path);
                        page(url, path);
                    }
                }
                String title = "Edited on node " + (editor + 1) + " " + System.nanoTime();
                edit(urls.get(editor), id, title);
                for (String url : urls) {
                    for (String path : pages) {
                        assertThat(awaitTitle(url, path, title)).as("%s%s", url, path)
                                .contains(title);
                    }
                }
                for (String path : pages) {
                    assertThat(awaitTitleOnEveryBackend(balancer.url(), path, title))
                            .as("backends that served %s with the new title", path)
                            .containsExactlyInAnyOrder("n1", "n2", "n3");
                }
            }
        }
    }

    /** GETs {@code path} until it shows {@code title} (a minute at most); the last body. */
    private static String awaitTitle(String base, String path, String title) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        int stale = 0;
        String body = page(base, path).body();
        while (!body.contains(title) && System.nanoTime() < deadline) {
            stale++;
            Thread.sleep(10);
            body = page(base, path).body();
        }
        if (stale > 0) {
            System.out.printf("%s%s: %d stale answer(s) before the edit showed%n", base, path,
                    stale);
        }
        return body;
    }

    /** Asks the balancer until each backend served {@code title} once (a minute at most). */
    private static Set<String> awaitTitleOnEveryBackend(String balancer, String path,
            String title) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        Set<String> fresh = new HashSet<>();
        while (fresh.size() < 3 && System.nanoTime() < deadline) {
            HttpResponse<String> r = page(balancer, path);
            Thread.sleep(5);
            if (r.body().contains(title)) {
                fresh.add(r.headers().firstValue(HaProxy.SERVED_BY).orElse("?"));
            }
        }
        return fresh;
    }

    private static HttpResponse<String> page(String base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s%s", base, path).isEqualTo(200);
        return r;
    }

    /** Logs in as the seed's admin on {@code base}; sets the English title of post {@code id}. */
    private static void edit(String base, long id, String title) throws Exception {
        HttpClient admin = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10)).build();
        String login = send(admin, base, "/admin/login", null).body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf(login));
        form.put("username", "admin");
        form.put("password", BlogNodes.ADMIN_PASSWORD);
        assertThat(send(admin, base, "/admin/login", form).statusCode()).as("login")
                .isEqualTo(303);
        form = new LinkedHashMap<>();
        form.put("csrf", csrf(send(admin, base, "/admin", null).body()));
        form.put("title", title);
        form.put("summary", "Edited *summary*");
        form.put("body", "Edited body");
        assertThat(send(admin, base, "/admin/posts/" + id + "/en", form).statusCode())
                .as("the admin's save").isEqualTo(303);
    }

    /** A GET ({@code form} null) or a form POST, redirects not followed. */
    private static HttpResponse<String> send(HttpClient client, String base, String path,
            Map<String, String> form) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                            .collect(Collectors.joining("&"))));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF token in %s", html).isTrue();
        return m.group(1);
    }
}
