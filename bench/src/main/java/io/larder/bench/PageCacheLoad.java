package io.larder.bench;

import io.javalin.Javalin;
import io.larder.Larder;
import io.larder.javalin.LarderPlugin;
import io.larder.javalin.Page;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * HTTP load over loopback against one Javalin server with {@link LarderPlugin}: a page-cached
 * route versus a route returning a constant byte array of the same size, and page routes whose
 * entries keep expiring (served stale, re-rendered in the background) versus one whose entries do
 * not expire. Keep-alive connections, closed loop, bounded in time; phases alternate.
 *
 * <pre>{@code
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.larder.bench.PageCacheLoad [warm-up s] [connections]
 * }</pre>
 */
public final class PageCacheLoad {
    private static final int BODY_BYTES = 12 * 1024;
    private static final int KEYS = 50;
    private static final int ROUNDS = 16;
    private static final AtomicLong RENDERS = new AtomicLong();

    private PageCacheLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        byte[] constant = body("constant");
        try (Larder larder = Larder.builder()
                .region("page", r -> r.ttl(Duration.ofHours(1))).build()) {
            LarderPlugin plugin = new LarderPlugin(cfg -> cfg.larder(larder));
            Javalin app = Javalin.create(config -> {
                config.registerPlugin(plugin);
                plugin.cachedGet(config.routes, "/", Page.regionDefaults(),
                        ctx -> ctx.html(render("home")));
                plugin.cachedGet(config.routes, "/page", Page.regionDefaults().query("id"),
                        ctx -> ctx.html(render(ctx.queryParam("id"))));
                plugin.cachedGet(config.routes, "/expiring-1s", Page.ttl(Duration.ofSeconds(1))
                        .staleFor(Duration.ofHours(1)).query("id"),
                        ctx -> ctx.html(render(ctx.queryParam("id"))));
                plugin.cachedGet(config.routes, "/expiring-50ms", Page.ttl(Duration.ofMillis(50))
                        .staleFor(Duration.ofHours(1)).query("id"),
                        ctx -> ctx.html(render(ctx.queryParam("id"))));
                config.routes.get("/bytes", ctx -> ctx.contentType("text/html").result(constant));
            }).start(0);
            try {
                int port = app.port();
                IntFunction<String> pages = i -> "/page?id=" + (i % KEYS);
                IntFunction<String> bytes = i -> "/bytes";
                IntFunction<String> home = i -> "/";
                IntFunction<String> expiring = i -> "/expiring-1s?id=" + (i % KEYS);
                IntFunction<String> fast = i -> "/expiring-50ms?id=" + (i % KEYS);
                warm(port, home);
                warm(port, pages);
                warm(port, expiring);
                warm(port, fast);
                run("warm-up home", port, home, connections, seconds);
                run("warm-up page", port, pages, connections, seconds);
                run("warm-up bytes", port, bytes, connections, seconds);
                run("warm-up expiring", port, expiring, connections, seconds);
                // Short alternating slices, merged, so that drift in the machine's load hits
                // both sides of each ratio alike.
                Result bytesAll = Result.EMPTY;
                Result pageAll = Result.EMPTY;
                for (int round = 0; round < ROUNDS; round++) {
                    // Which goes first alternates, so that neither always follows the other.
                    if (round % 2 == 0) {
                        bytesAll = bytesAll.plus(run(null, port, bytes, connections, 1));
                    }
                    pageAll = pageAll.plus(run(null, port, home, connections, 1));
                    if (round % 2 == 1) {
                        bytesAll = bytesAll.plus(run(null, port, bytes, connections, 1));
                    }
                }
                bytesAll.print("bytes");
                pageAll.print("home page (cached)");
                System.out.printf("throughput cached home / constant bytes = %.3f (aim >= 0.9)%n%n",
                        pageAll.perSecond() / bytesAll.perSecond());

                long misses = larder.stats().get("page").misses();
                long renders = RENDERS.get();
                Result still = Result.EMPTY;
                Result moving = Result.EMPTY;
                for (int round = 0; round < ROUNDS; round++) {
                    if (round % 2 == 0) {
                        still = still.plus(run(null, port, pages, connections, 1));
                    }
                    moving = moving.plus(run(null, port, expiring, connections, 1));
                    if (round % 2 == 1) {
                        still = still.plus(run(null, port, pages, connections, 1));
                    }
                }
                still.print("page, no expiry");
                moving.print("page, TTL 1 s, 50 keys");
                System.out.printf("p99 expiring (TTL 1 s) / p99 no expiry = %.3f (aim <= 1.5);"
                        + " %d background re-renders in %d s%n",
                        (double) moving.p99() / still.p99(), RENDERS.get() - renders, ROUNDS);
                renders = RENDERS.get();
                Result extreme = run("page, TTL 50 ms, 50 keys", port, fast, connections, seconds);
                System.out.printf("p99 expiring (TTL 50 ms) / p99 no expiry = %.3f;"
                        + " %d background re-renders in %d s%n",
                        (double) extreme.p99() / still.p99(),
                        RENDERS.get() - renders, seconds);
                System.out.printf("visitors who waited for a render while measuring: %d%n",
                        larder.stats().get("page").misses() - misses);
            } finally {
                app.stop();
            }
        }
    }

    /** The "expensive" page: 2 ms of database wait, then a body the size of the constant. */
    private static String render(String id) throws InterruptedException {
        RENDERS.incrementAndGet();
        Thread.sleep(2);
        return new String(body("page " + id), StandardCharsets.UTF_8);
    }

    private static byte[] body(String title) {
        StringBuilder sb = new StringBuilder("<!doctype html><title>").append(title)
                .append("</title>");
        while (sb.length() < BODY_BYTES) {
            sb.append("<p>lorem ipsum dolor sit amet</p>\n");
        }
        sb.setLength(BODY_BYTES);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void warm(int port, IntFunction<String> paths) throws IOException {
        try (Client client = new Client(port)) {
            for (int i = 0; i < KEYS; i++) {
                client.get(paths.apply(i));
            }
        }
    }

    private record Result(long requests, double seconds, Histogram histogram) {
        static final Result EMPTY = new Result(0, 0, new Histogram(3_600_000_000L, 3));

        Result plus(Result other) {
            Histogram merged = histogram.copy();
            merged.add(other.histogram);
            return new Result(requests + other.requests, seconds + other.seconds, merged);
        }

        void print(String name) {
            System.out.printf(
                    "%-28s %9.0f req/s  p50 %6d us  p99 %6d us  p99.9 %6d us  max %7d us%n",
                    name, perSecond(), histogram.getValueAtPercentile(50), p99(),
                    histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
        }

        double perSecond() {
            return requests / seconds;
        }

        long p99() {
            return histogram.getValueAtPercentile(99);
        }
    }

    private static Result run(String name, int port, IntFunction<String> paths, int connections,
            int seconds) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        long[] counts = new long[connections];
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Histogram histogram = new Histogram(3_600_000_000L, 3);
            histograms.add(histogram);
            int slot = c;
            Thread thread = new Thread(() -> {
                int i = ThreadLocalRandom.current().nextInt(KEYS);
                try (Client client = new Client(port)) {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        client.get(paths.apply(i++));
                        histogram.recordValue((System.nanoTime() - t0) / 1000);
                        counts[slot]++;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(3_600_000_000L, 3);
        histograms.forEach(all::add);
        Result result = new Result(Arrays.stream(counts).sum(), elapsed, all);
        if (name != null) {
            result.print(name);
        }
        return result;
    }

    /** A minimal HTTP/1.1 keep-alive client: GET, read the status, headers and body. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private final String host;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            host = "127.0.0.1:" + port;
        }

        void get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException(path + ": " + status);
            }
            long length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0;
                        size = Long.parseLong(line().trim(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else {
                skip(length);
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (read < 0) {
                    throw new IOException("connection closed");
                }
                n -= read;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
