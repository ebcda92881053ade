package io.larder.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The reference blog's cold start (issue 18): fresh JVMs of the blog (page cache, default tiered
 * store, its files kept from the run before), in five set-ups taken in turn each round: without
 * and with a dynamic AppCDS archive that a training run made ({@code -XX:ArchiveClassesAtExit}),
 * each without and with the page cache's start-up warm-up requests (larder-javalin's {@code
 * warmUpRequests}: 2,000 within 2 s by default, off with {@code -Dblog.bench.warmUpRequests=0}),
 * and with the archive and 20,000 (within 10 s). Run on a JDK 25 or later, it adds two set-ups
 * with an AOT cache ({@code -XX:AOTMode=record}, then {@code create}; JEP 483/515: classes
 * loaded and linked, and method profiles, from a training run that served {@value
 * #TRAINING_SECONDS} s of load),
 * without and with the warm-up requests. Each JVM is timed from its start to listening
 * (the blog warms its home pages before it listens), then: the first-byte time of its first
 * request and the median of the next 20 (one connection, one at a time); then closed-loop load
 * ({@value #CONNECTIONS} connections, the four home pages) for {@value #COLD_SECONDS} one-second
 * slices; then, after {@value #WARM_SECONDS} s more of load, the warm req/s, the warm median of
 * single requests on one connection and that of a new connection's first request (the first hit
 * opens one). The first hit is held to the warm median (aim ≤ 2×), the first {@value
 * #COLD_SECONDS} s to the warm req/s (aim ≥ 0.8).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.larder.bench.ColdStart
 * [examples/blog/target/blog.jar] [rounds, 3]}. The same two commands serve a site:
 * {@code java -XX:ArchiveClassesAtExit=blog.jsa -jar blog.jar serve} once (stop it after a few
 * pages), then {@code java -XX:SharedArchiveFile=blog.jsa -jar blog.jar serve}; on a JDK 25,
 * {@code java -XX:AOTMode=record -XX:AOTConfiguration=blog.aotconf -jar blog.jar serve} once
 * (stop it after some load), {@code java -XX:AOTMode=create -XX:AOTConfiguration=blog.aotconf
 * -XX:AOTCache=blog.aot -cp blog.jar}, then {@code java -XX:AOTCache=blog.aot -jar blog.jar
 * serve}. The AOT set-ups run when this
 * class does on JDK 25: {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp
 * bench/target/benchmarks.jar io.larder.bench.ColdStart}.
 */
public final class ColdStart {
    private static final List<String> PAGES = List.of("/en/", "/de/", "/en/page/2",
            "/de/page/3", "/fr/", "/es/");
    private static final IntFunction<String> HOMES = i -> List.of("/en/", "/de/", "/fr/", "/es/")
            .get(i & 3);
    private static final int CONNECTIONS = 4;
    private static final int COLD_SECONDS = 5;
    private static final int WARM_SECONDS = 5;
    private static final int TRAINING_SECONDS = 10;
    private static final String[] COLUMNS = {"JVM start to listening, s",
        "first request's first byte, ms", "p50 of the next 20, ms", "warm p50, ms",
        "first hit ÷ warm p50", "warm p50, new connection, ms", "first hit ÷ that",
        "first 1 s ÷ warm req/s", "first 5 s ÷ warm req/s",
        "warm req/s"};

    /** One way to start the blog: its JVM options and system properties. */
    private record Setup(String name, List<String> jvm, Map<String, String> properties) {
    }

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "examples/blog/target/blog.jar";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("larder-coldstart");
        Path archive = dir.resolve("blog.jsa");
        List<String> serve = List.of("--data", dir.resolve("data").toString());
        // Training: seeds the database, fills the file store, and dumps the classes it loaded.
        try (BlogProcess blog = BlogProcess.serve(jar,
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off"), Map.of(), serve,
                dir.resolve("train.log"))) {
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                for (int i = 0; i < 50; i++) {
                    client.get(PAGES.get(i % PAGES.size()));
                }
            }
        }
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the training run made no archive: see "
                    + dir.resolve("train.log"));
        }
        List<String> cds = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
        Map<String, String> noWarmUp = Map.of("blog.bench.warmUpRequests", "0");
        List<Setup> setups = new ArrayList<>(List.of(
                new Setup("no archive, no warm-up", List.of(), noWarmUp),
                new Setup("no archive, warm-up", List.of(), Map.of()),
                new Setup("archive, no warm-up", cds, noWarmUp),
                new Setup("archive, warm-up", cds, Map.of()),
                new Setup("archive, warm-up 20,000", cds,
                        Map.of("blog.bench.warmUpRequests", "20000"))));
        if (Runtime.version().feature() >= 25) {
            List<String> aot = List.of("-XX:AOTCache=" + train(jar, serve, dir),
                    "-Xlog:aot=off", "-Xlog:cds=off");
            setups.add(new Setup("AOT cache, no warm-up", aot, noWarmUp));
            setups.add(new Setup("AOT cache, warm-up", aot, Map.of()));
        }
        double[][][] results = new double[setups.size()][rounds][];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < setups.size(); s++) {
                Setup setup = setups.get(s);
                results[s][r] = start(jar, setup, serve,
                        dir.resolve("run-" + r + "-" + s + ".log"));
                System.out.printf(Locale.ROOT, "round %d, %-22s %s%n", r + 1, setup.name,
                        Arrays.toString(results[s][r]));
            }
        }
        System.out.printf(Locale.ROOT, "medians of %d rounds (load average %s):%n%-32s", rounds,
                Files.readString(Path.of("/proc/loadavg")).trim(), "");
        for (Setup setup : setups) {
            System.out.printf(Locale.ROOT, " %22s", setup.name);
        }
        System.out.println();
        for (int c = 0; c < COLUMNS.length; c++) {
            System.out.printf(Locale.ROOT, "%-32s", COLUMNS[c]);
            for (int s = 0; s < setups.size(); s++) {
                System.out.printf(Locale.ROOT, " %22.3f", median(results[s], c));
            }
            System.out.println();
        }
    }

    /**
     * A JDK 25 AOT cache of the blog: a training run under load ({@value #TRAINING_SECONDS} s, so
     * that the cache holds method profiles of the hit path) records its configuration, then a
     * JVM of its own makes the cache from it (the two steps of JEP 483; the one-step
     * {@code -XX:AOTCacheOutput} makes it as the training JVM exits, which a stopped server may
     * not live to finish).
     */
    private static Path train(String jar, List<String> serve, Path dir) throws Exception {
        Path config = dir.resolve("blog.aotconf");
        Path cache = dir.resolve("blog.aot");
        try (BlogProcess blog = BlogProcess.serve(jar, List.of("-XX:AOTMode=record",
                "-XX:AOTConfiguration=" + config, "-Xlog:aot=off", "-Xlog:cds=off"), Map.of(),
                serve, dir.resolve("aot-record.log"))) {
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                for (String page : PAGES) {
                    client.get(page);
                }
            }
            HttpLoad.run(blog.port(), HOMES, CONNECTIONS, Duration.ofSeconds(TRAINING_SECONDS),
                    0, null);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process create = new ProcessBuilder(java.toString(), "-XX:AOTMode=create",
                "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + cache, "-cp", jar)
                .redirectErrorStream(true).redirectOutput(dir.resolve("aot-create.log").toFile())
                .start();
        if (create.waitFor() != 0 || !Files.exists(cache)) {
            throw new IllegalStateException("no AOT cache was made: see "
                    + dir.resolve("aot-record.log") + " and " + dir.resolve("aot-create.log"));
        }
        return cache;
    }

    /** One fresh JVM of {@code setup}: the figures of {@link #COLUMNS}. */
    private static double[] start(String jar, Setup setup, List<String> args, Path log)
            throws Exception {
        try (BlogProcess blog = BlogProcess.serve(jar, setup.jvm, setup.properties, args, log)) {
            double[] next = new double[20];
            double first;
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                first = client.get("/en/").firstByteNanos() / 1e6;
                for (int i = 0; i < next.length; i++) {
                    next[i] = client.get("/en/").firstByteNanos() / 1e6;
                }
            }
            double[] perSecond = new double[COLD_SECONDS];
            for (int s = 0; s < COLD_SECONDS; s++) {
                perSecond[s] = HttpLoad.run(blog.port(), HOMES, CONNECTIONS, Duration.ofSeconds(1),
                        0, null).perSecond();
            }
            HttpLoad.run(blog.port(), HOMES, CONNECTIONS, Duration.ofSeconds(WARM_SECONDS), 0,
                    null);
            double warm = HttpLoad.run(blog.port(), HOMES, CONNECTIONS, Duration.ofSeconds(3), 0,
                    null).perSecond();
            double[] later = new double[200];
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                for (int i = 0; i < later.length; i++) {
                    later[i] = client.get("/en/").firstByteNanos() / 1e6;
                }
            }
            double[] opened = new double[20];
            for (int i = 0; i < opened.length; i++) {
                try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                    opened[i] = client.get("/en/").firstByteNanos() / 1e6;
                }
            }
            double warmP50 = median(later);
            return new double[] {blog.startSeconds(), first, median(next), warmP50,
                first / warmP50, median(opened), first / median(opened), perSecond[0] / warm,
                Arrays.stream(perSecond).sum() / COLD_SECONDS / warm, warm};
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double median(double[][] rows, int column) {
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i][column];
        }
        return median(values);
    }
}
