package io.larder.redis;

import io.larder.testing.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code redis-server} of a test's own on a free loopback port, without persistence: killed,
 * paused, resumed and restarted by pid. Missing {@code redis-server} fails the test under
 * {@code CI=true} and skips it otherwise. Also the parts of {@link RedisCluster} and
 * {@link RedisSentinels} (a cluster node, a Sentinel).
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final String[] extra;
    /** A Sentinel's configuration file (Sentinel rewrites it), or null for a data server. */
    private final Path sentinelConfig;
    private Process process;

    private RedisServer(int port, Path dir, String[] extra, Path sentinelConfig) {
        this.port = port;
        this.dir = dir;
        this.extra = extra;
        this.sentinelConfig = sentinelConfig;
    }

    /**
     * A server started on a free port, with {@code extra} arguments (e.g. a maxmemory policy).
     * A cluster node ({@code --cluster-enabled yes}) gets a port of at most 55535 whose cluster
     * bus port (10000 higher) is free too. Another process may take the port between our check
     * and the server's bind: the server then exits, and it is started again on another port.
     */
    public static RedisServer start(String... extra) {
        String binary = findBinary();
        boolean clusterNode = List.of(extra).contains("--cluster-enabled");
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Path dir = Files.createTempDirectory("redis-test");
                RedisServer server = new RedisServer(freePort(clusterNode), dir, extra.clone(),
                        null);
                try {
                    server.launch(binary);
                    return server;
                } catch (IllegalStateException e) {
                    server.close();
                    last = e;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server", e);
            }
        }
        throw last;
    }

    /**
     * A Sentinel on a free port watching the primary {@code master} at {@code primaryPort}
     * (quorum 2, down after 1 s).
     */
    public static RedisServer startSentinel(String master, int primaryPort) {
        String binary = findBinary();
        try {
            Path dir = Files.createTempDirectory("redis-sentinel-test");
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "sentinel monitor " + master + " 127.0.0.1 " + primaryPort + " 2",
                    "sentinel down-after-milliseconds " + master + " 1000",
                    "sentinel failover-timeout " + master + " 10000",
                    "sentinel parallel-syncs " + master + " 1", ""));
            RedisServer server = new RedisServer(freePort(), dir, new String[0], config);
            server.launch(binary);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-sentinel", e);
        }
    }

    private static String findBinary() {
        return findBinary("redis-server");
    }

    /** The path of {@code name} on the PATH; missing, fails under CI=true, else skips. */
    static String findBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String message = name + " is not on the PATH; install it to run the Redis tests";
        Services.missing(message);
        return null;
    }

    private static int freePort() throws IOException {
        return freePort(false);
    }

    /** A free loopback port; for a cluster node, at most 55535 with its bus port free too. */
    private static int freePort(boolean clusterNode) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
                port = socket.getLocalPort();
            }
            if (!clusterNode) {
                return port;
            }
            if (port > 55535) {
                continue; // Redis refuses a cluster node whose bus port would pass 65535
            }
            try (ServerSocket bus = new ServerSocket(port + 10000, 1, loopback)) {
                return port;
            } catch (IOException taken) {
                // the bus port is in use: another port
            }
        }
    }

    private void launch(String binary) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary);
        if (sentinelConfig != null) {
            command.addAll(List.of(sentinelConfig.toString(), "--sentinel"));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString()));
        if (sentinelConfig == null) {
            command.addAll(List.of("--save", "", "--appendonly", "no"));
        }
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ping()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            sleep(10);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The process id (to signal it by pid). */
    public long pid() {
        return process.pid();
    }

    /** Whether the process runs. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * Sends one command on a connection of its own and returns the reply as text: a bulk or
     * simple string as it is, an integer in decimal, an array as its elements one per line, an
     * error as {@code -ERR ...}.
     *
     * @throws IllegalStateException if the server does not answer within 5 s
     */
    public String command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n").append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(new java.io.BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("no answer from port " + port + " to "
                    + String.join(" ", args) + ": " + e, e);
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        switch (line.charAt(0)) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return "";
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    all.append(i == 0 ? "" : "\n").append(readReply(in));
                }
                return all.toString();
            }
            case '-' -> {
                return line;
            }
            default -> {
                return line.substring(1);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }

    /** Waits up to 60 s for {@code condition}, checking every 20 ms; fails naming {@code what}. */
    public static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out (60 s) waiting until " + what);
            }
            sleep(20);
        }
    }

    /** Whether the server answers PING now. */
    public boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: the server is gone at once, its connections reset. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A new, empty server on the same port. */
    public void restart() {
        if (process.isAlive()) {
            kill();
        }
        try {
            launch(findBinary());
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server", e);
        }
    }

    /** SIGSTOP: connections stay open, nothing is answered. */
    public void pause() {
        signal("-STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (up to 60 s) until {@code store} is connected and hears other nodes' changes. */
    public static void awaitReady(RedisStore store) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (store.stats().breakerOpen() || !store.stats().listening()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not connected to Redis: " + store.stats());
            }
            sleep(5);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
            kill();
        }
    }
}
