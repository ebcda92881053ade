package io.larder.blog;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.Caching;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import io.larder.blog.db.Database;
import io.larder.blog.seed.Seeder;
import io.larder.blog.web.Langs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures the home page's server time (its own {@code Server-Timing} total) per mode, one
 * server per mode in turn on the same database: the median first hit of each page (nothing of
 * it cached yet) and the median warm hit, the original's table.
 */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = "Median server time of the home page per mode, first hit and warm.")
final class Measure implements Callable<Integer> {
    @Mixin
    Main.DataOptions data = new Main.DataOptions();

    @Option(names = "--modes", split = ",",
            defaultValue = "off/orm,off/sql,query/orm,query/sql,fragment/orm,page/orm",
            description = "Modes to measure, cache/queries (${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--store", defaultValue = "tiered",
            description = "Cache store (${DEFAULT-VALUE}).")
    StoreKind store;

    @Option(names = "--pages", defaultValue = "20",
            description = "Home pages measured per mode, each first hit once (${DEFAULT-VALUE}).")
    int pages;

    @Option(names = "--repeat", defaultValue = "5",
            description = "Warm requests per page after its first hit (${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--lang", defaultValue = "de",
            description = "Language measured (${DEFAULT-VALUE}).")
    String lang;

    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Langs.require(lang);
        BlogConfig base = new BlogConfig("127.0.0.1", 0, data.data, data.db, data.user(),
                data.dbPassword, data.schema, CacheMode.OFF, QueryMode.ORM, store,
                data.redis, new Seeder.Size(data.posts, data.comments, 42), data.password());
        Files.createDirectories(base.dataDir());
        try (Database db = Database.open(base.effectiveJdbcUrl(), base.dbUser(),
                base.dbPassword(), base.schema())) {
            Seeder seeder = new Seeder(db, System.out);
            if (seeder.isEmpty()) {
                seeder.seed(base.seed(), base.adminPassword());
            }
            warmUpJvm(base, db);
            List<String> rows = new ArrayList<>();
            for (String mode : modes) {
                String[] parts = mode.split("/");
                BlogConfig config = base
                        .withCache(CacheMode.valueOf(parts[0].toUpperCase(Locale.ROOT)))
                        .withQueries(QueryMode.valueOf(parts[1].toUpperCase(Locale.ROOT)));
                Caching.clear(config.cacheDir());
                rows.add(measure(mode, config, db));
                System.out.println(rows.get(rows.size() - 1));
            }
            System.out.println();
            System.out.println("Home page (/" + lang + "/ and /" + lang + "/page/2.." + pages
                    + "), median server time in ms, " + db.url().replaceAll("\\?.*", "")
                    + ", store " + store.name().toLowerCase(Locale.ROOT) + ":");
            System.out.println();
            System.out.println("| mode | first hit | warm |");
            System.out.println("|---|---:|---:|");
            rows.forEach(System.out::println);
        }
        return 0;
    }

    private void warmUpJvm(BlogConfig base, Database db) throws Exception {
        for (QueryMode queries : QueryMode.values()) {
            try (BlogServer server = BlogServer.start(base.withQueries(queries), db)) {
                for (int i = 0; i < 60; i++) {
                    String l = Langs.ALL.get(i % Langs.ALL.size());
                    if (!l.equals(lang)) {
                        time(server.url() + "/" + l + "/page/" + (1 + i % 10));
                    }
                }
            }
        }
    }

    private String measure(String mode, BlogConfig config, Database db) throws Exception {
        List<Double> first = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        try (BlogServer server = BlogServer.start(config, db)) {
            for (int i = 0; i < 30; i++) {
                // this mode's own code paths, on another language than the one measured
                time(server.url() + "/en/page/" + (1 + i % 10));
            }
            for (int page = 1; page <= pages; page++) {
                String url = server.url() + "/" + lang + "/" + (page == 1 ? "" : "page/" + page);
                first.add(time(url));
                for (int r = 0; r < repeat; r++) {
                    warm.add(time(url));
                }
            }
        }
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f |", mode, median(first),
                median(warm));
    }

    private double time(String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " gave " + r.statusCode());
        }
        String timing = r.headers().firstValue("Server-Timing").orElseThrow();
        String total = timing.split(",")[0].trim();
        return Double.parseDouble(total.substring(total.indexOf("dur=") + 4));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
