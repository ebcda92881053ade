package io.larder.bench;

import io.larder.bench.HttpLoad.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report's expiry under load: list pages with a short TTL and an hour's stale window, asked
 * in one-second slices alternating with home pages that do not expire, in one blog server;
 * renders counted by the server ({@code /bench/renders}), expiries by the visitors (runs of
 * {@code stale} in {@code Server-Timing}).
 */
final class ExpiryRun {
    private static final Pattern STALE = Pattern.compile("cache\\.page;desc=\"([a-z ]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Starts the blog with the given system properties (the page cache on the memory store). */
    interface Server {
        BlogProcess serve(Map<String, String> properties) throws IOException, InterruptedException;
    }

    private ExpiryRun() {
    }

    /** Measures expiry under load on a blog {@code server} starts; {@code name} labels it. */
    static Report.Expiry measure(Settings settings, String name, Server server)
            throws Exception {
        List<String> langs = List.of("en", "de", "fr", "es");
        int pages = settings.expiryPages();
        IntFunction<String> still = i -> "/" + langs.get(i % 4) + "/";
        IntFunction<String> moving = i -> "/" + langs.get(i % 4) + "/page/"
                + (2 + (i / 4) % pages);
        long ttl = settings.expiryTtl().toMillis();
        Map<String, String> properties = Map.of("blog.bench.pageTtl",
                settings.expiryTtl().toString(), "blog.bench.pageStale", "PT1H",
                "blog.bench.pageTtlRoute", "/{lang}/page/{n}");
        try (BlogProcess blog = server.serve(properties)) {
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                for (int i = 0; i < 4 * pages; i++) { // each expiring page rendered once
                    client.get(moving.apply(i));
                }
            }
            Result warmStill = HttpLoad.run(blog.port(), still, settings.connections(),
                    settings.warmup(), 0, null);
            Result warmMoving = HttpLoad.run(blog.port(), moving, settings.connections(),
                    settings.warmup(), 0, null);
            // Refreshes the warm-up started finish before counting begins (none starts meanwhile).
            Thread.sleep(1_000);
            Map<String, long[]> seen = new ConcurrentHashMap<>(); // expiries, misses, last stale
            HttpLoad.Observer observer = (path, response) -> outcome(seen, path, response,
                    settings.expiryTtl().toNanos());
            Map<String, Long> before = renders(blog.port());
            Result stillAll = Result.empty();
            Result movingAll = Result.empty();
            Duration slice = Duration.ofSeconds(1);
            for (long round = 0; round < settings.duration().toSeconds(); round++) {
                if (round % 2 == 0) {
                    stillAll = stillAll.plus(HttpLoad.run(blog.port(), still,
                            settings.connections(), slice,
                            warmStill.histogram().getValueAtPercentile(50), null));
                }
                movingAll = movingAll.plus(HttpLoad.run(blog.port(), moving,
                        settings.connections(), slice,
                        warmMoving.histogram().getValueAtPercentile(50), observer));
                if (round % 2 == 1) {
                    stillAll = stillAll.plus(HttpLoad.run(blog.port(), still,
                            settings.connections(), slice,
                            warmStill.histogram().getValueAtPercentile(50), null));
                }
            }
            Map<String, Long> after = renders(blog.port());
            long renders = 0;
            long expiries = 0;
            long waited = 0;
            double worst = 0;
            for (Map.Entry<String, long[]> e : seen.entrySet()) {
                long r = after.getOrDefault(e.getKey(), 0L) - before.getOrDefault(e.getKey(), 0L);
                long[] s = e.getValue();
                renders += r;
                expiries += s[0];
                waited += s[1];
                if (s[0] > 0) {
                    worst = Math.max(worst, (double) r / s[0]);
                }
            }
            Report.Expiry expiry = new Report.Expiry(stillAll, movingAll, renders, expiries,
                    seen.size(), worst, waited, ttl);
            System.out.println(stillAll.line(name + ".still"));
            System.out.println(movingAll.line(name + ".expiring"));
            System.out.printf("%s: %d renders for %d expiries on %d pages (%.2f per expiry),"
                    + " %d visitors waited%n", name, renders, expiries, seen.size(),
                    expiry.loadsPerExpiry(), waited);
            return expiry;
        }
    }

    /**
     * Counts per path: expiries and misses. An expiry is a run of stale answers: one after no
     * stale answer for half a TTL (a refreshed page stays fresh a whole TTL), so answers that
     * several connections receive out of order still count once.
     */
    private static void outcome(Map<String, long[]> seen, String path,
            HttpLoad.Response response, long ttlNanos) {
        String timing = response.serverTiming();
        Matcher m = timing == null ? null : STALE.matcher(timing);
        String outcome = m != null && m.find() ? m.group(1) : "";
        long[] s = seen.computeIfAbsent(path, p -> new long[3]);
        synchronized (s) {
            long now = System.nanoTime();
            if (outcome.startsWith("stale")) {
                if (s[2] == 0 || now - s[2] > ttlNanos / 2) {
                    s[0]++;
                }
                s[2] = now;
            }
            if (outcome.startsWith("miss")) {
                s[1]++;
            }
        }
    }

    /** The blog's handler runs by path ({@code /bench/renders}). */
    private static Map<String, Long> renders(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/bench/renders")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Long> counts = new HashMap<>();
        for (String line : r.body().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
            }
        }
        return counts;
    }

}
