package io.larder.bench;

import io.larder.bench.HttpLoad.Result;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The benchmark of issue 10 in one command: starts the reference blog in a JVM of its own per
 * scenario, drives its home page with {@link HttpLoad} (closed loop, fixed concurrency, warm-up)
 * in every mode on the same data (H2, then PostgreSQL when reachable), measures expiry under
 * load, the first hit after a restart and the Redis store, runs the store micro-benchmarks
 * ({@link MicroBenchmarks}), and writes {@code report.md}, {@code latency.svg} and
 * {@code results.json} to the folder given ({@link ReportWriter}).
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package -pl bench,examples/blog -am
 * java -cp bench/target/benchmarks.jar io.larder.bench.Report --out report/
 * }</pre>
 *
 * Options (defaults in {@link Settings.Options}; {@code --help} lists them):
 * {@code --duration 6 --warmup 3 --connections 4
 * --posts 3000 --comments 30000 --data bench/target/bench-data
 * --blog-jar examples/blog/target/blog.jar --pg jdbc:postgresql://127.0.0.1:5432/test
 * --pg-schema larder_bench --no-pg --require-pg --no-redis --no-jmh --jmh-seconds 1
 * --jmh-iterations 2 --expiry-ttl-ms 1000 --expiry-pages 2 --lang en --server-jvm -Xmx1g
 * --only restart|expiry}.
 */
public final class Report {
    static final int WARM_UP_REQUESTS = 200;

    private final Settings settings;
    private final Run run = new Run();
    private int homeBytes = 12 * 1024;

    private Report(Settings settings) {
        this.settings = settings;
    }

    /** Runs the benchmark and writes the report; see the class comment for the options. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Settings.Options());
        System.exit(cli.execute(args));
    }

    /** Runs the benchmark with {@code settings} and writes the report. */
    static void run(Settings settings) throws Exception {
        long start = System.nanoTime();
        Report report = new Report(settings);
        report.runAll();
        report.run.seconds = (System.nanoTime() - start) / 1e9;
        report.run.loadAverageEnd = loadAverage();
        new ReportWriter(report.run).write(settings.out());
        System.out.printf("report written to %s (%.0f s)%n", settings.out().resolve("report.md"),
                report.run.seconds);
    }

    /** Everything the report shows, filled as the scenarios run. */
    static final class Run {
        final Map<String, Object> settings = new LinkedHashMap<>();
        final List<Row> rows = new ArrayList<>();
        final List<FirstHit> firstHits = new ArrayList<>();
        final Map<String, Double> micro = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        Expiry expiry;
        String started = Instant.now().toString();
        String loadAverageStart = loadAverage();
        String loadAverageEnd = "";
        int homeBytes;
        double seconds;

        Row row(String name) {
            return rows.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * One load scenario.
     *
     * @param name stable name, {@code <db>.<mode>}
     * @param label what the table shows
     * @param result what the load measured
     * @param startSeconds from JVM start to the blog listening
     */
    record Row(String name, String label, Result result, double startSeconds) {
    }

    /**
     * Expiry under load: pages that keep expiring (served stale while one re-render runs)
     * interleaved with pages that do not, in one server.
     *
     * @param still home pages, not expiring
     * @param moving list pages with the short TTL
     * @param renders handler runs (database loads) of the expiring pages while measured
     * @param expiries times an expiring page turned stale, as visitors saw it
     * @param keys expiring pages
     * @param maxLoadsPerExpiry the worst key's renders per expiry
     * @param waited visitor answers that waited for a render (misses)
     * @param ttlMillis the TTL
     */
    record Expiry(Result still, Result moving, long renders, long expiries, int keys,
            double maxLoadsPerExpiry, long waited, long ttlMillis) {
        double loadsPerExpiry() {
            return expiries == 0 ? Double.NaN : (double) renders / expiries;
        }
    }

    /**
     * The home page right after a restart.
     *
     * @param name stable name
     * @param label what the table shows
     * @param ttfbMillis time to the first byte of the first request
     * @param nextP50Millis median of the next 20 requests, one at a time
     * @param warmP50Millis median of 200 such requests once the server is warm
     * @param warmNewP50Millis median of 20 first requests on new connections once warm: what a
     *     first hit also pays on a warm server (it opens a connection)
     * @param startSeconds from JVM start to the blog listening
     */
    record FirstHit(String name, String label, double ttfbMillis, double nextP50Millis,
            double warmP50Millis, double warmNewP50Millis, double startSeconds) {
    }

    private void runAll() throws Exception {
        run.settings.putAll(settings.describe());
        RedisFigures.LocalRedis redis = null;
        if (settings.redis()) {
            try {
                redis = RedisFigures.LocalRedis.start();
            } catch (IOException e) {
                run.notes.add("Redis rows skipped: could not start redis-server (" + e.getMessage()
                        + ")");
            }
        }
        try {
            Database h2 = new Database("h2", "H2", settings.data().resolve("h2"), List.of());
            seed(h2);
            if ("restart".equals(settings.only())) {
                run.notes.add("only the restart rows ran (--only restart)");
                fillFileStore(h2);
                restarts(h2);
                run.homeBytes = homeBytes;
                return;
            }
            if ("expiry".equals(settings.only())) {
                run.notes.add("only the expiry rows ran (--only expiry)");
                expiry(h2);
                return;
            }
            modes(h2);
            new SpringBlogRows(settings, run).measure();
            restarts(h2);
            expiry(h2);
            if (redis != null) {
                scenario(h2, "page_redis", "page cache, Redis store", "page", "orm",
                        List.of("--store", "redis", "--redis", redis.uri()), null);
            }
            Database pg = new Database("pg", "PostgreSQL", settings.data().resolve("pg"),
                    List.of("--db", settings.pgUrl(), "--db-user", settings.pgUser(), "--schema",
                            settings.pgSchema()));
            if (!settings.pg()) {
                run.notes.add("PostgreSQL rows skipped: --no-pg");
            } else if (!reachable(settings.pgUrl())) {
                if (settings.requirePg()) {
                    throw new IOException("PostgreSQL unreachable at " + settings.pgUrl());
                }
                run.notes.add("PostgreSQL rows skipped: nothing listens at " + settings.pgUrl());
            } else {
                seed(pg);
                modes(pg);
            }
            if (settings.jmh()) {
                System.out.println("JMH micro-benchmarks (short settings) ...");
                run.micro.putAll(MicroBenchmarks.run(redis == null ? null : redis.uri(),
                        settings.jmhSeconds(), settings.jmhIterations(),
                        settings.out().resolve("jmh.json")));
            } else {
                run.notes.add("JMH micro-benchmarks skipped (--no-jmh): their bars show n/a");
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
        run.homeBytes = homeBytes;
    }

    /** A database the blog runs on: its data folder and the blog options that select it. */
    private record Database(String name, String label, Path data, List<String> options) {
        List<String> args(String cache, String queries, List<String> more) {
            List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--cache",
                    cache, "--queries", queries));
            args.addAll(options);
            args.addAll(more);
            return args;
        }
    }

    /** Seeds once per database and size; later runs reuse the data (a marker file says so). */
    private void seed(Database db) throws Exception {
        Files.createDirectories(db.data);
        Path marker = db.data.resolve("seeded.txt");
        String wanted = settings.posts() + " posts, " + settings.comments() + " comments, "
                + db.options;
        if (Files.exists(marker) && Files.readString(marker).equals(wanted)) {
            return;
        }
        System.out.println("seeding " + db.label + ": " + wanted);
        List<String> args = new ArrayList<>(List.of("seed", "--data", db.data.toString(),
                "--posts", Integer.toString(settings.posts()), "--comments",
                Integer.toString(settings.comments())));
        args.addAll(db.options);
        BlogProcess.run(settings.blogJar().toString(), settings.serverJvm(), args,
                settings.out().resolve("logs/seed-" + db.name + ".log"));
        Files.writeString(marker, wanted);
    }

    private void modes(Database db) throws Exception {
        scenario(db, "off_orm", "uncached, ORM", "off", "orm", List.of(), null);
        scenario(db, "off_sql", "uncached, plain SQL", "off", "sql", List.of(), null);
        scenario(db, "query_orm", "query cache (ORM)", "query", "orm", List.of(), null);
        scenario(db, "fragment_orm", "fragment cache (ORM)", "fragment", "orm", List.of(), null);
        scenario(db, "page_memory", "page cache, memory store", "page", "orm",
                List.of("--store", "memory"), "constant");
        scenario(db, "page_tiered", "page cache, memory over file store", "page", "orm",
                List.of("--store", "tiered"), "constant_tiered");
        scenario(db, "page_file", "page cache, file store", "page", "orm",
                List.of("--store", "file"), "constant_file"); // its files stay for restarts()
    }

    /**
     * One server, warmed up, then measured on the home page; with a {@code constant} row name,
     * slices of the home page alternate with slices of the constant-bytes route of the same size
     * in the same server, so that drift in the machine's load weighs on both alike.
     */
    private void scenario(Database db, String mode, String label, String cache, String queries,
            List<String> more, String constant) throws Exception {
        String name = db.name + "." + mode;
        try {
            clearCaches(db);
            try (BlogProcess blog = serve(db, name, Map.of(), db.args(cache, queries, more))) {
                IntFunction<String> home = i -> "/" + settings.lang() + "/";
                IntFunction<String> bytes = i -> "/bench/constant";
                try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                    homeBytes = (int) client.get(home.apply(0)).bodyBytes();
                }
                Result warm = warmUp(blog.port(), home);
                long expected = warm.histogram().getValueAtPercentile(50);
                if (constant == null) {
                    Result result = HttpLoad.run(blog.port(), home, settings.connections(),
                            settings.duration(), expected, null);
                    add(new Row(name, label, result, blog.startSeconds()));
                    return;
                }
                Result warmBytes = HttpLoad.run(blog.port(), bytes, settings.connections(),
                        settings.warmup().dividedBy(2), 0, null);
                long expectedBytes = warmBytes.histogram().getValueAtPercentile(50);
                Result pages = Result.empty();
                Result constants = Result.empty();
                Duration slice = Duration.ofSeconds(1);
                for (long round = 0; round < settings.duration().toSeconds(); round++) {
                    if (round % 2 == 0) {
                        constants = constants.plus(HttpLoad.run(blog.port(), bytes,
                                settings.connections(), slice, expectedBytes, null));
                    }
                    pages = pages.plus(HttpLoad.run(blog.port(), home, settings.connections(),
                            slice, expected, null));
                    if (round % 2 == 1) {
                        constants = constants.plus(HttpLoad.run(blog.port(), bytes,
                                settings.connections(), slice, expectedBytes, null));
                    }
                }
                add(new Row(db.name + "." + constant, "constant bytes (" + homeBytes
                        + " B), beside the " + label, constants, blog.startSeconds()));
                add(new Row(name, label, pages, blog.startSeconds()));
            }
        } catch (IOException e) {
            run.notes.add(name + " failed: " + e.getMessage());
            System.out.println(name + " FAILED: " + e.getMessage());
        }
    }

    /** The scenarios' warm-up ({@link HttpLoad#warmUp}). */
    private Result warmUp(int port, IntFunction<String> paths) throws IOException {
        return HttpLoad.warmUp(port, paths, settings.connections(), settings.warmup(),
                WARM_UP_REQUESTS);
    }

    private void add(Row row) {
        run.rows.add(row);
        System.out.println(row.result.line(row.name));
    }

    private BlogProcess serve(Database db, String name, Map<String, String> extra,
            List<String> args) throws IOException, InterruptedException {
        Map<String, String> properties = new HashMap<>(extra);
        properties.put("blog.bench.constantBytes", Integer.toString(homeBytes));
        return BlogProcess.serve(settings.blogJar().toString(), settings.serverJvm(), properties,
                args, settings.out().resolve("logs/" + name + ".log"));
    }

    /** Deletes the database's cache folders, so that each scenario starts with nothing cached. */
    private static void clearCaches(Database db) throws IOException {
        try (Stream<Path> dirs = Files.list(db.data)) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith("cache"))
                    .toList()) {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** Stores the home page in the file store for {@code file_kept}, as {@link #modes} does. */
    private void fillFileStore(Database db) throws Exception {
        clearCaches(db);
        try (BlogProcess blog = serve(db, db.name + ".restart.fill", Map.of(),
                db.args("page", "orm", List.of("--store", "file")));
                HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
            client.get("/" + settings.lang() + "/");
        }
    }

    /**
     * The home page's first request right after a start: memory store without and with start-up
     * warming, and the file store (which kept the entries of the run before) without warming.
     */
    private void restarts(Database db) throws Exception {
        restart(db, "memory_cold", "memory store, no warming", "memory", false);
        restart(db, "memory_warmed", "memory store, warmed at start", "memory", true);
        restart(db, "file_kept", "file store kept on disk, no warming", "file", false);
    }

    private void restart(Database db, String mode, String label, String store, boolean warm)
            throws Exception {
        String name = db.name + ".restart." + mode;
        try (BlogProcess blog = serve(db, name, Map.of("blog.bench.warm", Boolean.toString(warm)),
                db.args("page", "orm", List.of("--store", store)))) {
            String path = "/" + settings.lang() + "/";
            double ttfb;
            double[] next = new double[20];
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                ttfb = client.get(path).firstByteNanos() / 1e6;
                for (int i = 0; i < next.length; i++) {
                    next[i] = client.get(path).firstByteNanos() / 1e6;
                }
            }
            // The same single requests once the JVM is warm: the p50 the first hit is held to.
            HttpLoad.run(blog.port(), i -> path, 1, settings.warmup(), 0, null);
            double[] later = new double[200];
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                for (int i = 0; i < later.length; i++) {
                    later[i] = client.get(path).firstByteNanos() / 1e6;
                }
            }
            double[] opened = new double[20];
            for (int i = 0; i < opened.length; i++) {
                try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                    opened[i] = client.get(path).firstByteNanos() / 1e6;
                }
            }
            FirstHit hit = new FirstHit(name, label, ttfb, median(next), median(later),
                    median(opened), blog.startSeconds());
            run.firstHits.add(hit);
            System.out.printf("%-34s first byte %.3f ms, next p50 %.3f ms, warm p50 %.3f ms,"
                    + " warm new connection p50 %.3f ms, start %.1f s%n", name, ttfb,
                    hit.nextP50Millis, hit.warmP50Millis, hit.warmNewP50Millis, hit.startSeconds);
        } catch (IOException e) {
            run.notes.add(name + " failed: " + e.getMessage());
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Home pages (not expiring) interleaved with list pages {@code /<lang>/page/2..} whose TTL is
     * short with a long stale window, in one page-cache server on the memory store. Renders are
     * counted by the server, expiries by the visitors (runs of stale answers, from
     * {@code Server-Timing}'s page outcome).
     */
    private void expiry(Database db) throws Exception {
        String name = db.name + ".expiry";
        try {
            run.expiry = ExpiryRun.measure(settings, name,
                    (properties) -> serve(db, name, properties,
                            db.args("page", "orm", List.of("--store", "memory"))));
        } catch (IOException e) {
            run.notes.add(name + " failed: " + e.getMessage());
        }
    }

    private static boolean reachable(String jdbcUrl) {
        Matcher m = Pattern.compile("//([^:/]+)(?::(\\d+))?/").matcher(jdbcUrl);
        if (!m.find()) {
            return false;
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(m.group(1), port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
