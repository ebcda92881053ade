package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a fresh JVM pays before its first answer: building a Larder on the default tiered store
 * (memory over a {@link DiskStore} that already holds entries, as after a restart), then its
 * first hit on a page (a string) and on a query result (a list of records, through JSON).
 * Each round is a new JVM; the medians are printed, for hits made at once after the build and
 * for hits made 0.5 s later, when the JSON set-up the build starts in the background is done.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.larder.bench.StartupTime [rounds]}.
 */
public final class StartupTime {
    /** A query result as the blog caches them. */
    public record Post(long id, String title, List<String> tags) { }

    private StartupTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("larder-startup");
        run(dir, "fill"); // writes the entries the next JVMs find on disk
        report(dir, rounds, "read", "hits at once after the build");
        report(dir, rounds, "read-later",
                "hits 0.5 s after the build (an application's other start-up work)");
    }

    /** Runs {@code rounds} fresh JVMs in {@code mode} and prints each column's median. */
    private static void report(Path dir, int rounds, String mode, String title)
            throws Exception {
        List<double[]> times = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            times.add(run(dir, mode));
        }
        String[] names = {"build Larder", "first page hit", "first object hit"};
        System.out.println(title + ":");
        for (int c = 0; c < names.length; c++) {
            double[] column = new double[times.size()];
            for (int i = 0; i < column.length; i++) {
                column[i] = times.get(i)[c];
            }
            Arrays.sort(column);
            System.out.printf("  %-18s median %7.1f ms  (min %.1f, max %.1f, %d fresh JVMs)%n",
                    names[c], column[column.length / 2], column[0], column[column.length - 1],
                    column.length);
        }
    }

    private static double[] run(Path dir, String mode) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), dir.toString(), mode).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("TIMES ")) {
                    last = line;
                }
            }
        }
        if (p.waitFor() != 0 || last.isEmpty()) {
            throw new IllegalStateException("the probe JVM failed: " + last);
        }
        String[] parts = last.substring(6).split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                Double.parseDouble(parts[2])};
    }

    /** One fresh JVM: builds the Larder and reads (or first writes) one page and one object. */
    public static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) {
            long t0 = System.nanoTime();
            Larder larder = Larder.builder()
                    .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(),
                            DiskStore.builder(Path.of(args[0])).build()))
                    .hmacSecret("startup-time-secret-0123456789".getBytes(StandardCharsets.UTF_8))
                    .build();
            long built = System.nanoTime();
            boolean fill = args[1].equals("fill");
            if (args[1].equals("read-later")) {
                // What an application does between building its cache and its first request
                // (a connection pool, routes, templates), here as a pause.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            long t1 = System.nanoTime();
            String page = larder.get(Key.of("page", "/en/"), String.class,
                    () -> fill ? "<html>" + "x".repeat(13_000) : "missed");
            long t2 = System.nanoTime();
            List<?> posts = larder.get(Key.of("home-posts", "en", 1), List.class,
                    () -> fill ? List.of(new Post(1, "One", List.of("java"))) : List.of());
            long t3 = System.nanoTime();
            if (!fill && (page.equals("missed") || posts.isEmpty())) {
                throw new IllegalStateException("the entries written before were not read back");
            }
            larder.close();
            System.out.printf("TIMES %.2f %.2f %.2f%n", (built - t0) / 1e6, (t2 - t1) / 1e6,
                    (t3 - t2) / 1e6);
        }
    }
}
