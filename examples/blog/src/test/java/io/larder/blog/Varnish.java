package io.larder.blog;

import io.larder.testing.Services;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code varnishd} for a test: its own work folder, listen and admin ports on loopback,
 * in the foreground as a child process of the test (stopped by its pid when closed), with a VCL
 * from the test resources whose backend port is replaced by the blog's. Without varnishd (or
 * without vmod_xkey for a VCL that imports it) the test is skipped, but fails under CI=true.
 */
final class Varnish implements AutoCloseable {
    private static final Path VARNISHD = Path.of("/usr/sbin/varnishd");

    private final Process process;
    private final int port;
    private final Path log;

    private Varnish(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A free loopback port (for a process that binds it next). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts varnishd on {@code port} with the test resource {@code varnish/<vcl>} in front of
     * the backend on {@code backendPort}; returns once it accepts connections.
     */
    static Varnish start(Path dir, String vcl, int port, int backendPort) throws Exception {
        if (!Files.isExecutable(VARNISHD)) {
            Services.missing("no varnishd at " + VARNISHD + " (Debian package varnish; .ci/varnish)");
        }
        String text;
        try (InputStream in = Varnish.class.getResourceAsStream("/varnish/" + vcl)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = dir.resolve(vcl);
        Files.writeString(file, text.replace(".port = \"7070\";",
                ".port = \"" + backendPort + "\";"));
        Path log = dir.resolve("varnishd.log");
        Path vcc = dir.resolve("vcc.log");
        Process check = new ProcessBuilder(VARNISHD.toString(), "-C", "-j", "none", "-f",
                file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(vcc.toFile()).start();
        if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
            String why = "varnishd cannot compile " + vcl + ": " + tail(vcc);
            if (!why.contains("Could not find VMOD")) {
                throw new IllegalStateException(why);
            }
            Services.missing(why + " (vmod_xkey is in Debian's varnish-modules; .ci/varnish)");
        }
        Process process = new ProcessBuilder(List.of(VARNISHD.toString(), "-F", "-j", "none",
                "-n", dir.resolve("work").toString(), "-a", "127.0.0.1:" + port,
                "-T", "127.0.0.1:" + freePort(), "-f", file.toString(), "-s", "malloc,64m"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Varnish varnish = new Varnish(process, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!varnish.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                varnish.close();
                throw new IllegalStateException("varnishd did not start: " + tail(log));
            }
            Thread.sleep(50);
        }
        return varnish;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:6081}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file);
            return text.substring(Math.max(0, text.length() - 2_000));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Stops varnishd by its pid (TERM, then KILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "varnishd pid " + process.pid() + " on " + url() + " (log " + log + ")";
    }
}
