package io.larder.bench;

import io.larder.redis.RedisCluster;
import io.larder.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Issue 17's scale-out figures, in one run on one machine: a Redis Cluster of the run's own (6
 * {@code redis-server}s, 3 primaries and 3 replicas, larder-redis's test harness), blog JVMs on
 * one fresh PostgreSQL schema ({@link BlogNodes}, {@code --store redis}: a memory near cache over
 * the cluster) behind HAProxy ({@link HaProxy}, round-robin), and per cache mode ({@code page},
 * {@code query}) and number of nodes behind the balancer (3, 2, 1): req/s and p99 through the
 * balancer (4 keep-alive connections, {@link HttpLoad}; rows in the order 3, 2, 1, 1, 2, 3
 * nodes, each after a warm-up as long as itself, the two of each count merged), and Redis
 * commands per page served (the
 * growth of {@code total_commands_processed} summed over the 6 cluster nodes while measured,
 * ÷ pages; beside it, what the cluster processes in as long without a request). In page mode,
 * also the renders (database loads) per page key summed over the 3 nodes for the whole mode
 * (the blog's {@code /bench/renders} hook, start-up warming off; the warm-up goes through the
 * balancer over the 3 cold nodes, so they miss the same keys at once). Before that, the
 * near-cache miss delay after a tag invalidation on another node ({@link NearCacheMissDelay}), on
 * one {@code redis-server} and on the cluster, side by side.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl bench,examples/blog -am
 * java -cp bench/target/benchmarks.jar io.larder.bench.ScaleOut \
 *     [blog.jar (examples/blog/target/blog.jar)] [seconds per row (4)] [invalidations (200)]
 * </pre>
 * Needs PostgreSQL on 127.0.0.1:5432 (database {@code test}, user {@code postgres}),
 * {@code redis-server}, {@code redis-cli} and {@code haproxy}. The nodes' logs stay in the
 * folder printed at the start.
 */
public final class ScaleOut {
    /** The pages asked: every language's home page and English list pages. */
    private static final List<String> PATHS = List.of("/en/", "/de/", "/fr/", "/es/",
            "/en/page/2", "/en/page/3", "/en/page/4", "/en/page/5", "/en/page/6", "/en/page/7",
            "/en/page/8");
    private static final int CONNECTIONS = 4;
    private static final int NODES = 3;

    private ScaleOut() {
    }

    /** One measured row. */
    private record Row(String mode, int nodes, HttpLoad.Result load, long commands,
            double idlePerSecond) {
        Row plus(Row other) {
            return new Row(mode, nodes, load.plus(other.load), commands + other.commands,
                    idlePerSecond);
        }

        String line() {
            double net = Math.max(0, commands - idlePerSecond * load.seconds());
            return String.format("| %s | %d | %,.0f | %.2f | %,d | %,d | %.4f | %.4f |", mode,
                    nodes, load.perSecond(), load.millis(99), load.requests(), commands,
                    (double) commands / load.requests(), net / load.requests());
        }
    }

    /** Runs everything; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String blog = args.length > 0 ? args[0] : "examples/blog/target/blog.jar";
        if (!Files.isRegularFile(Path.of(blog))) {
            throw new IllegalArgumentException(blog + " not found: build it with mvn -B -q"
                    + " -DskipTests package -pl bench,examples/blog -am");
        }
        Duration perRow = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 4);
        int invalidations = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path work = Files.createTempDirectory("larder-scale-out");
        System.out.println("logs in " + work);
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (RedisServer one = RedisServer.start(); RedisCluster cluster = RedisCluster.start()) {
            notes.add(delays(one.uri(), cluster.uri(), invalidations));
            System.out.println(notes.get(0));
            try (BlogNodes nodes = BlogNodes.seeded(blog, work, cluster.uri(), 600, 3000)) {
                for (String mode : List.of("page", "query")) {
                    nodes.start(NODES, mode, Map.of("blog.bench.constantBytes", "16",
                            "blog.bench.warm", "false"));
                    try {
                        mode(nodes, cluster, mode, perRow, rows, notes);
                        notes.add(String.format("%s mode: %d Redis command timeouts (100 ms) in"
                                + " the nodes' logs; a timed-out call is a miss, a failed lease"
                                + " a load", mode, timeouts(work, mode)));
                    } finally {
                        nodes.stopNodes();
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| mode | nodes behind HAProxy | req/s | p99 ms | pages | Redis commands"
                + " | per page | per page, net of idle |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(row -> System.out.println(row.line()));
        notes.forEach(System.out::println);
    }

    /** The near-cache miss delay on one server and on the cluster, as one line. */
    private static String delays(String server, String cluster, int invalidations) {
        long[] one = NearCacheMissDelay.measure(server, invalidations);
        long[] sharded = NearCacheMissDelay.measure(cluster, invalidations);
        return String.format("near-cache miss on node B after invalidateTag on node A (%d"
                + " invalidations each): one server p50 %.3f ms, p99 %.3f ms, max %.3f ms;"
                + " cluster p50 %.3f ms, p99 %.3f ms, max %.3f ms", invalidations,
                NearCacheMissDelay.millis(one, 0.5), NearCacheMissDelay.millis(one, 0.99),
                NearCacheMissDelay.millis(one, 1), NearCacheMissDelay.millis(sharded, 0.5),
                NearCacheMissDelay.millis(sharded, 0.99), NearCacheMissDelay.millis(sharded, 1));
    }

    /**
     * One cache mode on the running nodes: warm-up, the idle background, the rows (3, 2, 1,
     * then 1, 2, 3 nodes, merged per count) and, in page mode, the loads per key.
     */
    private static void mode(BlogNodes nodes, RedisCluster cluster, String mode,
            Duration perRow, List<Row> rows, List<String> notes)
            throws IOException, InterruptedException {
        warmUp(nodes, perRow);
        long idle = idle(cluster, perRow);
        double idlePerSecond = idle / (double) perRow.toSeconds();
        notes.add(String.format("%s mode: %,d Redis commands in %d s with no request (pings,"
                + " topology refresh, replication)", mode, idle, perRow.toSeconds()));
        System.out.println(notes.get(notes.size() - 1));
        Row[] merged = new Row[NODES + 1];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < NODES; i++) {
                int n = pass == 0 ? NODES - i : i + 1;
                Row row = row(nodes, cluster, mode, n, perRow, idlePerSecond);
                System.out.println(row.line());
                merged[n] = merged[n] == null ? row : merged[n].plus(row);
            }
        }
        rows.addAll(Arrays.asList(merged).subList(1, NODES + 1));
        if (mode.equals("page")) {
            long renders = renders(nodes.urls());
            notes.add(String.format("page mode: %d renders of %d pages on %d nodes = %.2f loads"
                    + " per key", renders, PATHS.size(), NODES, (double) renders / PATHS.size()));
        }
    }

    /**
     * Cold JVMs (the JIT): through the balancer over every node, runs as long as a row until
     * each node has answered at least 3,000 requests on average (at most a minute).
     */
    private static void warmUp(BlogNodes nodes, Duration perRow)
            throws IOException, InterruptedException {
        HaProxy balancer = nodes.balance(NODES);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long requests = 0;
        while (requests < 3_000L * NODES && System.nanoTime() < deadline) {
            requests += HttpLoad.run(balancer.port(), ScaleOut::path, CONNECTIONS, perRow, 0,
                    null).requests();
        }
    }

    /** Commands the cluster processes in {@code duration} without a request. */
    private static long idle(RedisCluster cluster, Duration duration)
            throws InterruptedException {
        long before = commands(cluster);
        Thread.sleep(duration.toMillis());
        return commands(cluster) - before;
    }

    /** A warm-up as long as the row, then the row, through a balancer over {@code n} nodes. */
    private static Row row(BlogNodes nodes, RedisCluster cluster, String mode, int n,
            Duration duration, double idlePerSecond) throws IOException, InterruptedException {
        HaProxy balancer = nodes.balance(n);
        HttpLoad.run(balancer.port(), ScaleOut::path, CONNECTIONS, duration, 0, null);
        long before = commands(cluster);
        HttpLoad.Result load = HttpLoad.run(balancer.port(), ScaleOut::path, CONNECTIONS,
                duration, 0, null);
        return new Row(mode, n, load, commands(cluster) - before, idlePerSecond);
    }

    private static String path(int i) {
        return PATHS.get(Math.floorMod(i, PATHS.size()));
    }

    /** Commands processed so far, summed over every node of the cluster (INFO stats). */
    private static long commands(RedisCluster cluster) {
        long sum = 0;
        for (RedisServer node : cluster.nodes()) {
            for (String line : node.command("INFO", "stats").split("\r?\n")) {
                if (line.startsWith("total_commands_processed:")) {
                    sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return sum;
    }

    /** Lines of the nodes' logs in {@code mode} that say a Redis command timed out. */
    private static long timeouts(Path work, String mode) throws IOException {
        long count = 0;
        for (int n = 1; n <= NODES; n++) {
            try (var lines = Files.lines(work.resolve("node" + n + "-" + mode + ".log"))) {
                count += lines.filter(line -> line.contains("RedisCommandTimeoutException")
                        && line.contains("circuit breaker open")).count();
            }
        }
        return count;
    }

    /** Handler runs of {@link #PATHS} summed over the nodes ({@code /bench/renders}). */
    private static long renders(List<String> urls) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long sum = 0;
        for (String url : urls) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create(url + "/bench/renders")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                String[] fields = line.split("\t");
                if (fields.length == 2 && PATHS.contains(fields[0])) {
                    sum += Long.parseLong(fields[1]);
                }
            }
        }
        return sum;
    }
}
