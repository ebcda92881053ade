package io.larder.javalin;

import io.javalin.Javalin;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.Trace;
import io.larder.insight.Advisor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small site on a real Jetty on a free port with the dashboard at {@code /_larder} (admins
 * only: cookie {@code admin=let-me-in}, else 403) and at {@code /admin/cache} (else a redirect to
 * {@code /login}): a cached "posts" query carrying a hostile tag, a cached "authors" query, and a
 * search page that runs an uncached query whose shape is hostile HTML; three pages warmed at
 * start ({@code /home/1} and {@code /home/2}, stored; {@code /tracked}, refused: it sets a cookie).
 */
final class DashboardSite implements AutoCloseable {
    static final String ADMIN_COOKIE = "admin=let-me-in";
    static final String HOSTILE_TAG = "<img src=x onerror=alert('tag')>";
    static final String HOSTILE_QUERY = "select * from post where title = '<script>alert(1)"
            + "</script>'";

    final Larder larder = Larder.builder()
            .region("posts", r -> r.ttl(Duration.ofHours(1)))
            .region("authors", r -> r.ttl(Duration.ofHours(1)))
            .region("page", r -> r.ttl(Duration.ofHours(1)))
            .build();
    final Advisor advisor = Advisor.sampling(1);
    final Dashboard dashboard = Dashboard.builder(larder)
            .access(ctx -> "let-me-in".equals(ctx.cookie("admin"))).advisor(advisor).build();
    final Dashboard withLogin = Dashboard.builder(larder).path("/admin/cache")
            .access(ctx -> "let-me-in".equals(ctx.cookie("admin"))).loginPage("/login").build();
    final AtomicInteger postLoads = new AtomicInteger();
    final Javalin app;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    DashboardSite() {
        LarderPlugin plugin = new LarderPlugin(cfg -> cfg.larder(larder).onRequest(dashboard));
        dashboard.warming(plugin);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.registerPlugin(plugin);
            dashboard.routes(config.routes);
            withLogin.routes(config.routes);
            config.routes.get("/posts", ctx -> ctx.html("<p>" + larder.get(Key.of("posts", "all"),
                    String.class, Options.tags("posts", HOSTILE_TAG), () -> {
                        postLoads.incrementAndGet();
                        return "three posts";
                    }) + "</p>"));
            config.routes.get("/authors", ctx -> ctx.html(larder.get(Key.of("authors", "all"),
                    String.class, () -> "two authors")));
            config.routes.get("/search", ctx -> {
                long start = System.nanoTime();
                while (System.nanoTime() - start < 1_000_000) {
                    Thread.onSpinWait(); // stands for a 1 ms query
                }
                Trace.record("db", HOSTILE_QUERY, "", System.nanoTime() - start);
                ctx.html("no results");
            });
            // Three pages warmed at start: two are stored, one may not be (it sets a cookie).
            config.routes.get("/home/{n}", plugin.page(Page.ttl(Duration.ofMinutes(5))
                    .warm("/home/1", "/home/2"), ctx -> ctx.html("home " + ctx.pathParam("n"))));
            config.routes.get("/tracked", plugin.page(Page.ttl(Duration.ofMinutes(5))
                    .warm("/tracked"), ctx -> {
                        ctx.cookie("seen", "1");
                        ctx.html("tracked");
                    }));
            config.routes.get("/login", ctx -> ctx.html("<!DOCTYPE html><title>login</title>"
                    + "<link rel=\"icon\" href=\"data:,\"><p>please log in</p>"));
        }).start("127.0.0.1", 0);
    }

    String base() {
        return "http://127.0.0.1:" + app.port();
    }

    HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookie, Map<String, String> form)
            throws IOException, InterruptedException {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        app.stop();
        dashboard.close();
        withLogin.close();
        larder.close();
    }
}
