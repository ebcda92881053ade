package io.larder.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An HAProxy of a run's own (Debian's {@code haproxy}, installed by {@code .ci/haproxy}): HTTP
 * mode on a free loopback port, round-robin over the given backends (each request on its own,
 * keep-alive connections included), each answer carrying the backend that served it in
 * {@code X-Served-By} ({@code n1}, {@code n2}, ...). Started in the foreground with a generated
 * configuration, stopped by pid.
 */
final class HaProxy implements AutoCloseable {
    /** The header naming the backend that served an answer. */
    static final String SERVED_BY = "X-Served-By";

    private final Process process;
    private final int port;

    private HaProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The haproxy binary, if installed (on the PATH or in /usr/sbin). */
    static Optional<Path> binary() {
        return executable("haproxy");
    }

    /** {@code name} on the PATH or in /usr/sbin (Debian puts daemons there), if installed. */
    static Optional<Path> executable(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /**
     * Starts haproxy in front of the loopback ports {@code backends}, its configuration and log in
     * {@code dir}, and waits (up to a minute) until it accepts connections.
     *
     * @throws IllegalStateException if haproxy is not installed or does not come up
     */
    static HaProxy start(Path dir, List<Integer> backends) throws IOException,
            InterruptedException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "haproxy is not installed (Debian: apt-get install haproxy, or .ci/haproxy)"));
        int port = BlogProcess.freePort();
        Files.createDirectories(dir);
        Path config = dir.resolve("haproxy-" + port + ".cfg");
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backends.size(); i++) {
            servers.append("  server n").append(i + 1).append(" 127.0.0.1:")
                    .append(backends.get(i)).append('\n');
        }
        Files.writeString(config, """
                global
                  maxconn 4096
                defaults
                  mode http
                  timeout connect 10s
                  timeout client 120s
                  timeout server 120s
                frontend blog
                  bind 127.0.0.1:%d
                  default_backend nodes
                backend nodes
                  balance roundrobin
                  http-response set-header %s %%[srv_name]
                %s""".formatted(port, SERVED_BY, servers));
        Process process = new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy-" + port + ".log").toFile()).start();
        HaProxy proxy = new HaProxy(process, port);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!proxy.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                proxy.close();
                throw new IllegalStateException("haproxy did not start on port " + port
                        + " (see " + dir + ")");
            }
            Thread.sleep(20);
        }
        return proxy;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** Its base URL, {@code http://127.0.0.1:port}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops it by pid (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
