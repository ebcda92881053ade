package io.larder.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@link Report}: sizes, durations, where the blog and its data are, which
 * parts to run. Defaults are the ones a run under 10 minutes on 2 cores was timed with.
 */
record Settings(Path out, Path blogJar, Path data, int posts, int comments, int connections,
        Duration warmup, Duration duration, String lang, String pgUrl, String pgUser,
        String pgSchema, boolean pg, boolean requirePg, boolean redis, boolean jmh,
        int jmhSeconds, int jmhIterations, Duration expiryTtl, int expiryPages,
        List<String> serverJvm) {

    static Settings parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        List<String> flags = List.of("--no-pg", "--require-pg", "--no-redis", "--no-jmh");
        for (int i = 0; i < args.length; i++) {
            if (flags.contains(args[i])) {
                o.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (see the javadoc of io.larder.bench.Report or bench/README.md)");
            }
        }
        if (!o.containsKey("--out")) {
            throw new IllegalArgumentException("--out <folder> is required");
        }
        Settings s = new Settings(Path.of(o.remove("--out")),
                Path.of(get(o, "--blog-jar", "examples/blog/target/blog.jar")),
                Path.of(get(o, "--data", "bench/target/bench-data")).toAbsolutePath(),
                Integer.parseInt(get(o, "--posts", "3000")),
                Integer.parseInt(get(o, "--comments", "30000")),
                Integer.parseInt(get(o, "--connections", "4")),
                Duration.ofSeconds(Long.parseLong(get(o, "--warmup", "3"))),
                Duration.ofSeconds(Long.parseLong(get(o, "--duration", "6"))),
                get(o, "--lang", "en"),
                get(o, "--pg", "jdbc:postgresql://127.0.0.1:5432/test"),
                get(o, "--pg-user", "postgres"), get(o, "--pg-schema", "larder_bench"),
                o.remove("--no-pg") == null, o.remove("--require-pg") != null,
                o.remove("--no-redis") == null, o.remove("--no-jmh") == null,
                Integer.parseInt(get(o, "--jmh-seconds", "1")),
                Integer.parseInt(get(o, "--jmh-iterations", "2")),
                Duration.ofMillis(Long.parseLong(get(o, "--expiry-ttl-ms", "1000"))),
                Integer.parseInt(get(o, "--expiry-pages", "2")),
                List.of(get(o, "--server-jvm", "-Xmx1g").trim().split("\\s+")));
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + o.keySet());
        }
        if (!Files.isRegularFile(s.blogJar)) {
            throw new IllegalArgumentException(s.blogJar + " not found: build it with"
                    + " mvn -B -q -DskipTests package -pl bench,examples/blog -am");
        }
        if (s.duration.toSeconds() < 2 || s.warmup.toSeconds() < 1) {
            throw new IllegalArgumentException("--duration must be >= 2 and --warmup >= 1");
        }
        return s;
    }

    private static String get(Map<String, String> o, String name, String otherwise) {
        String value = o.remove(name);
        return value == null ? otherwise : value;
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
        d.put("cores", Runtime.getRuntime().availableProcessors());
        return d;
    }
}
