package io.larder.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an AppCDS archive buys the reference blog's cold start: fresh JVMs of the blog (page
 * cache, default tiered store, its files kept from the run before), started alternately without
 * and with a dynamic CDS archive that a training run made ({@code -XX:ArchiveClassesAtExit}),
 * each timed from the JVM's start to listening (the blog warms its home pages before it
 * listens), then the first-byte time of its first request and the median of the next 20.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.larder.bench.ColdStart
 * [examples/blog/target/blog.jar] [rounds, 5]}. The same two commands serve a site:
 * {@code java -XX:ArchiveClassesAtExit=blog.jsa -jar blog.jar serve} once (stop it after a few
 * pages), then {@code java -XX:SharedArchiveFile=blog.jsa -jar blog.jar serve}.
 */
public final class ColdStart {
    private static final List<String> PAGES = List.of("/en/", "/de/", "/en/page/2",
            "/de/page/3", "/fr/", "/es/");

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "examples/blog/target/blog.jar";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
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
        List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
        double[][] plain = new double[rounds][];
        double[][] cds = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            plain[r] = start(jar, List.of(), serve, dir.resolve("plain-" + r + ".log"));
            cds[r] = start(jar, withArchive, serve, dir.resolve("cds-" + r + ".log"));
            System.out.printf(Locale.ROOT, "round %d: start %.2f / %.2f s, first byte %.2f / %.2f"
                    + " ms, next p50 %.3f / %.3f ms (no archive / archive)%n", r + 1, plain[r][0],
                    cds[r][0], plain[r][1], cds[r][1], plain[r][2], cds[r][2]);
        }
        String[] names = {"JVM start to listening, s", "first request's first byte, ms",
            "p50 of the next 20, ms"};
        for (int c = 0; c < names.length; c++) {
            double p = median(plain, c);
            double a = median(cds, c);
            System.out.printf(Locale.ROOT, "%-32s no archive %8.3f  archive %8.3f  archive ÷ none"
                    + " %.2f%n", names[c], p, a, a / p);
        }
    }

    private static double[] start(String jar, List<String> jvmOptions, List<String> args,
            Path log) throws Exception {
        try (BlogProcess blog = BlogProcess.serve(jar, jvmOptions, Map.of(), args, log)) {
            double[] next = new double[20];
            double first;
            try (HttpLoad.Client client = new HttpLoad.Client(blog.port())) {
                first = client.get("/en/").firstByteNanos() / 1e6;
                for (int i = 0; i < next.length; i++) {
                    next[i] = client.get("/en/").firstByteNanos() / 1e6;
                }
            }
            Arrays.sort(next);
            return new double[] {blog.startSeconds(), first, next[next.length / 2]};
        }
    }

    private static double median(double[][] rows, int column) {
        List<Double> values = new ArrayList<>();
        for (double[] row : rows) {
            values.add(row[column]);
        }
        values.sort(null);
        return values.get(values.size() / 2);
    }
}
