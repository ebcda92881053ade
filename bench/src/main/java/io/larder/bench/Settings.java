package io.larder.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@link Report}: sizes, durations, where the blog and its data are, which
 * parts to run. Defaults are the ones a run under 10 minutes on 2 cores was timed with.
 */
record Settings(Path out, Path blogJar, Path data, int posts, int comments, int connections,
        Duration warmup, Duration duration, String lang, String pgUrl, String pgUser,
        String pgSchema, boolean pg, boolean requirePg, boolean redis, boolean jmh,
        int jmhSeconds, int jmhIterations, Duration expiryTtl, int expiryPages,
        List<String> serverJvm, Path springBlogJar, String only) {

    /**
     * The options, read by picocli ({@code --help} lists them); {@link #settings()} checks them
     * and makes the record the report runs with.
     */
    @Command(name = "io.larder.bench.Report", mixinStandardHelpOptions = true,
            description = "Starts the reference blog per mode, drives it over HTTP and writes"
                    + " report.md, latency.svg and results.json to --out.")
    static final class Options implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "The report's folder.")
        Path out;

        @Option(names = "--blog-jar", defaultValue = "examples/blog/target/blog.jar",
                description = "The blog's jar (${DEFAULT-VALUE}).")
        Path blogJar;

        @Option(names = "--spring-blog-jar",
                defaultValue = "examples/spring-blog/target/spring-blog.jar",
                description = "The Spring blog's jar, measured beside the blog when it exists"
                        + " (${DEFAULT-VALUE}).")
        Path springBlogJar;

        @Option(names = "--no-spring", description = "Leave the Spring blog out.")
        boolean noSpring;

        @Option(names = "--data", defaultValue = "bench/target/bench-data",
                description = "Where seeded data is kept between runs (${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--posts", defaultValue = "3000", description = "Posts (${DEFAULT-VALUE}).")
        int posts;

        @Option(names = "--comments", defaultValue = "30000",
                description = "Comments (${DEFAULT-VALUE}).")
        int comments;

        @Option(names = "--connections", defaultValue = "4",
                description = "Concurrent keep-alive connections (${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--warmup", defaultValue = "3",
                description = "Warm-up seconds, at least 1 (${DEFAULT-VALUE}).")
        long warmup;

        @Option(names = "--duration", defaultValue = "6",
                description = "Seconds per measurement, at least 2 (${DEFAULT-VALUE}).")
        long duration;

        @Option(names = "--lang", defaultValue = "en",
                description = "The home page measured (${DEFAULT-VALUE}).")
        String lang;

        @Option(names = "--pg", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test",
                description = "PostgreSQL JDBC URL (${DEFAULT-VALUE}).")
        String pgUrl;

        @Option(names = "--pg-user", defaultValue = "postgres",
                description = "PostgreSQL user (${DEFAULT-VALUE}).")
        String pgUser;

        @Option(names = "--pg-schema", defaultValue = "larder_bench",
                description = "PostgreSQL schema (${DEFAULT-VALUE}).")
        String pgSchema;

        @Option(names = "--no-pg", description = "Leave PostgreSQL out.")
        boolean noPg;

        @Option(names = "--require-pg", description = "Fail if PostgreSQL is unreachable.")
        boolean requirePg;

        @Option(names = "--no-redis", description = "Leave the Redis store out.")
        boolean noRedis;

        @Option(names = "--no-jmh", description = "Leave the JMH micro-benchmarks out.")
        boolean noJmh;

        @Option(names = "--jmh-seconds", defaultValue = "1",
                description = "JMH iteration length, s (${DEFAULT-VALUE}).")
        int jmhSeconds;

        @Option(names = "--jmh-iterations", defaultValue = "2",
                description = "JMH iterations (${DEFAULT-VALUE}).")
        int jmhIterations;

        @Option(names = "--expiry-ttl-ms", defaultValue = "1000",
                description = "TTL of the expiring pages, ms (${DEFAULT-VALUE}).")
        long expiryTtlMillis;

        @Option(names = "--expiry-pages", defaultValue = "2",
                description = "Expiring pages per language (${DEFAULT-VALUE}).")
        int expiryPages;

        @Option(names = "--server-jvm", defaultValue = "-Xmx1g",
                description = "Options of each blog JVM (${DEFAULT-VALUE}).")
        String serverJvm;

        @Option(names = "--only", description = "Run only this part: restart (the first hit"
                + " after a restart, on H2) or expiry (expiry under load, on H2).")
        String only;

        @Override
        public Integer call() throws Exception {
            Report.run(settings());
            return 0;
        }

        /** The checked settings; a missing jar or too short a run fails here, naming it. */
        Settings settings() {
            if (!Files.isRegularFile(blogJar)) {
                throw new IllegalArgumentException(blogJar + " not found: build it with"
                        + " mvn -B -q -DskipTests package -pl bench,examples/blog -am");
            }
            if (only != null && !only.equals("restart") && !only.equals("expiry")) {
                throw new IllegalArgumentException("--only takes: restart, expiry");
            }
            if (duration < 2 || warmup < 1) {
                throw new IllegalArgumentException("--duration must be >= 2 and --warmup >= 1");
            }
            return new Settings(out, blogJar, data.toAbsolutePath(), posts, comments,
                    connections, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), lang,
                    pgUrl, pgUser, pgSchema, !noPg, requirePg, !noRedis, !noJmh, jmhSeconds,
                    jmhIterations, Duration.ofMillis(expiryTtlMillis), expiryPages,
                    List.of(serverJvm.trim().split("\\s+")),
                    noSpring ? null : springBlogJar.toAbsolutePath(), only);
        }
    }

    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("posts", posts);
        d.put("comments", comments);
        d.put("connections", connections);
        d.put("warmup_s", warmup.toSeconds());
        d.put("duration_s", duration.toSeconds());
        d.put("path", "/" + lang + "/");
        d.put("postgresql", pg ? pgUrl + " schema " + pgSchema : "off");
        d.put("expiry_ttl_ms", expiryTtl.toMillis());
        d.put("expiry_pages", expiryPages * 4);
        d.put("server_jvm", String.join(" ", serverJvm));
        d.put("spring_blog", springBlogJar == null ? "off" : springBlogJar.toString());
        d.put("cores", Runtime.getRuntime().availableProcessors());
        return d;
    }
}
