package io.larder.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Larder's page cache beside what a user would put in front of the uncached blog instead, in one
 * run on one machine: Varnish, nginx {@code proxy_cache}, nginx serving the same bytes as a static
 * file, and a bare Jetty handler writing the same bytes ({@link BareJetty}, the JVM's limit; and
 * the same handler declared blocking, as Larder's front behind a servlet chain is). The
 * same client drives every target (wrk with 1 thread and 4 connections when installed, else the
 * bench's {@link HttpLoad} with 4 connections), a warm-up round (JIT) as long as a measurement,
 * then {@code rounds} rounds in turn; it prints the medians and Larder ÷ each. A peer that is not
 * installed is skipped, saying so.
 * Two more rows: the same Larder page with a cookie the blog ignores (Javalin's ordinary path
 * instead of the page cache's fast path; wrk only) and the blog with caching off. A second table
 * times the first request on a new connection against the second on it, per target.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package -pl bench,examples/blog -am
 * java -cp bench/target/benchmarks.jar io.larder.bench.Peers \
 *     examples/blog/target/blog.jar bench/target/peers-data 5 3
 * }</pre>
 * Arguments: the blog's jar, a data folder (seeded with 3,000 posts on first use), seconds per
 * measurement (default 5), rounds (default 3).
 */
public final class Peers {
    /** Marks a target asked with a cookie the blog ignores (wrk only). */
    private static final String COOKIE = "#cookie";
    /** New connections per target in {@link #newConnections} (and as many to warm up). */
    private static final int NEW_CONNECTIONS = 1_000;
    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private Peers(Path work) {
        this.work = work;
    }

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path data = Path.of(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        // nginx's workers and Varnish's child run as other users: they must read in here.
        Path work = Files.createTempDirectory("larder-peers",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Peers peers = new Peers(work);
        try {
            peers.run(jar, data, seconds, rounds);
        } finally {
            peers.stop();
        }
        delete(work); // kept, with the peers' logs, when the run failed
    }

    private void run(Path jar, Path data, int seconds, int rounds) throws Exception {
        Path seeded = data.resolve("seeded.txt");
        if (!Files.exists(seeded)) {
            System.out.println("seeding " + data);
            BlogProcess.run(jar.toString(), List.of(), List.of("seed", "--data", data.toString(),
                    "--posts", "3000", "--comments", "30000"), work.resolve("seed.log"));
            Files.writeString(seeded, "3000 posts");
        }
        Map<String, String> targets = new LinkedHashMap<>();
        try (BlogProcess page = blog(jar, data, "page");
             BlogProcess off = blog(jar, data, "off")) {
            String larderUrl = "http://127.0.0.1:" + page.port() + "/en/";
            targets.put("larder", larderUrl);
            byte[] body = get(larderUrl);
            get(larderUrl); // served from the cache on the ordinary path: the fast path learns it
            Path www = Files.createDirectories(work.resolve("www/en"));
            Files.write(www.resolve("index.html"), body);
            for (Path p : List.of(work.resolve("www"), www)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(www.resolve("index.html"),
                    PosixFilePermissions.fromString("rw-r--r--"));
            System.out.printf("the page: %,d bytes%n", body.length);
            for (String mode : List.of("non-blocking", "blocking")) {
                int bare = BlogProcess.freePort();
                start(List.of(java(), "-cp", ownJar(), BareJetty.class.getName(),
                        Integer.toString(bare), www.resolve("index.html").toString(), mode),
                        "bare-" + mode);
                targets.put(mode.equals("blocking") ? "bare-jetty-blocking" : "bare-jetty",
                        "http://127.0.0.1:" + bare + "/en/");
            }
            if (installed("nginx")) {
                int[] ports = nginx(off.port());
                targets.put("nginx-static", "http://127.0.0.1:" + ports[0] + "/en/");
                targets.put("nginx-proxy-cache", "http://127.0.0.1:" + ports[1] + "/en/");
            } else {
                System.out.println("nginx is not installed: its rows are skipped");
            }
            if (installed("varnishd")) {
                targets.put("varnish", "http://127.0.0.1:" + varnish(off.port()) + "/en/");
            } else {
                System.out.println("varnishd is not installed: its row is skipped");
            }
            for (String url : targets.values()) {
                awaitUp(url.replace(COOKIE, ""));
            }
            boolean wrk = installed("wrk");
            if (wrk) {
                // A cookie the blog ignores keeps a request on the ordinary path (Javalin's
                // routing, the servlet API): what the fast path buys.
                targets.put("larder-ordinary-path", larderUrl + COOKIE);
            }
            targets.put("uncached-blog", "http://127.0.0.1:" + off.port() + "/en/");
            System.out.println("client: " + (wrk ? "wrk -t1 -c4" : "HttpLoad, 4 connections"));
            Map<String, List<Double>> perSecond = new LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                for (Map.Entry<String, String> t : targets.entrySet()) {
                    double rate = load(t.getValue(), wrk, seconds);
                    System.out.printf("round %d %-18s %,10.0f req/s%n", round, t.getKey(), rate);
                    if (round > 0) {
                        perSecond.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(rate);
                    }
                }
            }
            double larder = median(perSecond.get("larder"));
            System.out.printf("%n| what serves /en/ | req/s (median of %d) | Larder ÷ it |%n"
                    + "|---|---:|---:|%n", rounds);
            perSecond.forEach((name, rates) -> System.out.printf("| %s | %,.0f | %.2f |%n", name,
                    median(rates), larder / median(rates)));
            newConnections(targets, NEW_CONNECTIONS);
        }
    }

    /**
     * The first request on a new connection beside the second one on it, per target, taking
     * turns connection by connection (a first round of as many only warms the code): what a
     * visitor's first page costs over a kept-alive request, and the floor under the Report's
     * "first hit after a restart", whose first visitor always opens a connection. The time runs
     * from sending the request (connected) to the answer's first byte.
     */
    private static void newConnections(Map<String, String> targets, int connections)
            throws IOException {
        Map<String, double[][]> times = new LinkedHashMap<>();
        targets.forEach((name, url) -> {
            if (!url.endsWith(COOKIE) && !name.equals("uncached-blog")) {
                times.put(name, new double[2][connections]);
            }
        });
        for (int i = 0; i < 2 * connections; i++) {
            for (Map.Entry<String, double[][]> t : times.entrySet()) {
                URI uri = URI.create(targets.get(t.getKey()));
                try (HttpLoad.Client client = new HttpLoad.Client(uri.getPort())) {
                    double first = client.get(uri.getPath()).firstByteNanos() / 1e3;
                    double second = client.get(uri.getPath()).firstByteNanos() / 1e3;
                    if (i >= connections) {
                        t.getValue()[0][i - connections] = first;
                        t.getValue()[1][i - connections] = second;
                    }
                }
            }
        }
        double larder = median(times.get("larder")[0]);
        System.out.printf("%n| what serves /en/ | new connection, first byte p50, µs | second"
                + " request p50, µs | new ÷ second | Larder's new ÷ it |%n"
                + "|---|---:|---:|---:|---:|%n");
        times.forEach((name, t) -> System.out.printf("| %s | %.0f | %.0f | %.1f | %.2f |%n",
                name, median(t[0]), median(t[1]), median(t[0]) / median(t[1]),
                larder / median(t[0])));
    }

    private BlogProcess blog(Path jar, Path seed, String mode) throws Exception {
        Path data = work.resolve(mode);
        copy(seed, data);
        return BlogProcess.serve(jar.toString(), List.of(), Map.of(), List.of("--data",
                data.toString(), "--cache", mode), work.resolve(mode + ".log"));
    }

    private int[] nginx(int backend) throws Exception {
        int stat = BlogProcess.freePort();
        int cache = BlogProcess.freePort();
        Path dir = Files.createDirectories(work.resolve("ngx"));
        Files.writeString(work.resolve("nginx.conf"), """
                worker_processes 1; daemon off; pid %1$s/nginx.pid; error_log %1$s/error.log;
                events { worker_connections 1024; }
                http { access_log off; include /etc/nginx/mime.types;
                  proxy_cache_path %1$s/cache keys_zone=pages:10m;
                  server { listen 127.0.0.1:%2$d; root %3$s;
                    location / { try_files $uri $uri/index.html =404; } }
                  server { listen 127.0.0.1:%4$d; location / {
                    proxy_pass http://127.0.0.1:%5$d; proxy_cache pages; proxy_cache_valid 200 1h;
                    proxy_ignore_headers Cache-Control Expires Set-Cookie;
                    proxy_http_version 1.1; proxy_set_header Connection ""; } }
                }
                """.formatted(dir, stat, work.resolve("www"), cache, backend));
        start(List.of("nginx", "-c", work.resolve("nginx.conf").toString(), "-p", dir.toString(),
                "-e", dir.resolve("error.log").toString()), "nginx");
        return new int[] {stat, cache};
    }

    private int varnish(int backend) throws Exception {
        int port = BlogProcess.freePort();
        Files.writeString(work.resolve("default.vcl"), """
                vcl 4.1;
                backend default { .host = "127.0.0.1"; .port = "%d"; }
                sub vcl_recv { unset req.http.Cookie; return (hash); }
                sub vcl_backend_response { set beresp.ttl = 1h; unset beresp.http.Set-Cookie;
                  return (deliver); }
                """.formatted(backend));
        start(List.of("varnishd", "-F", "-a", "127.0.0.1:" + port, "-f",
                work.resolve("default.vcl").toString(), "-n", work.resolve("varnish").toString(),
                "-s", "malloc,64m"), "varnish");
        return port;
    }

    private double load(String url, boolean wrk, int seconds) throws Exception {
        if (wrk) {
            List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c4",
                    "-d" + seconds + "s"));
            if (url.endsWith(COOKIE)) {
                url = url.substring(0, url.length() - COOKIE.length());
                command.addAll(List.of("-H", "Cookie: theme=dark"));
            }
            command.add(url);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            for (String line : out.split("\n")) {
                if (line.startsWith("Requests/sec:")) {
                    return Double.parseDouble(line.substring(13).trim());
                }
            }
            throw new IOException("wrk printed no rate for " + url + ":\n" + out);
        }
        URI uri = URI.create(url);
        return HttpLoad.run(uri.getPort(), i -> uri.getPath(), 4, Duration.ofSeconds(seconds),
                0, null).perSecond();
    }

    private void awaitUp(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                get(url);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(url + " did not answer (logs in " + work + ")", e);
                }
                Thread.sleep(200);
            }
        }
    }

    private byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private void start(List<String> command, String name) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start());
    }

    private void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean installed(String command) {
        return HaProxy.executable(command).isPresent();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                String relative = from.relativize(p).toString();
                Path target = to.resolve(relative);
                if (relative.contains("cache")) {
                    continue; // each blog starts with nothing cached
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(sorted.length - 1) / 2];
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String ownJar() throws Exception {
        return Path.of(Peers.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
