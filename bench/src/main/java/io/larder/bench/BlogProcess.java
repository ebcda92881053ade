package io.larder.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The reference blog in a JVM of its own ({@code java -cp blog.jar io.larder.blog.Main ...}, or
 * any class path that holds the blog, e.g. a test's), so
 * that a restart is a real restart: a cold JVM, and only what the store kept on disk. Its output
 * goes to a log file; {@link #serve} returns once the blog printed its address.
 */
final class BlogProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;
    private final double startSeconds;

    private BlogProcess(Process process, int port, double startSeconds) {
        this.process = process;
        this.port = port;
        this.startSeconds = startSeconds;
    }

    /**
     * Starts {@code blog serve} on a free port with {@code args} and the system properties
     * {@code properties} (the blog's benchmark hooks), and waits until it listens.
     */
    static BlogProcess serve(String classpath, List<String> jvmOptions,
            Map<String, String> properties, List<String> args, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = command(classpath, jvmOptions, properties, "serve");
        command.addAll(List.of("--port", Integer.toString(port)));
        command.addAll(args);
        return start(command, port, line -> line.startsWith("Larder blog (")
                && line.contains(") at http://"), log);
    }

    /**
     * Starts {@code command}, a server that will listen on {@code port} (another blog, such as
     * the Spring one), and waits until it prints a line that {@code ready} accepts.
     */
    static BlogProcess start(List<String> command, int port, Predicate<String> ready, Path log)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = start(command, log);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, ready, listening),
                "blog-log-" + port);
        pump.setDaemon(true);
        pump.start();
        try {
            listening.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("the blog did not start (see " + log + ")", e);
        }
        return new BlogProcess(process, port, (System.nanoTime() - start) / 1e9);
    }

    /** Runs {@code blog <args>} (seed) to its end; its exit status must be 0. */
    static void run(String classpath, List<String> jvmOptions, List<String> args, Path log)
            throws IOException, InterruptedException {
        List<String> command = command(classpath, jvmOptions, Map.of(), args.get(0));
        command.addAll(args.subList(1, args.size()));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("blog " + args.get(0) + " failed (see " + log + ")");
        }
    }

    private static List<String> command(String classpath, List<String> jvmOptions,
            Map<String, String> properties, String subcommand) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", classpath, "io.larder.blog.Main", subcommand));
        return command;
    }

    private static Process start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private static void pump(Process process, Path log, Predicate<String> isReady,
            CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log,
                     StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                out.flush();
                if (isReady.test(line)) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("the blog exited"));
    }

    /** A port nobody listened on a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** Seconds from starting the JVM to the blog listening (after its start-up warming). */
    double startSeconds() {
        return startSeconds;
    }

    /** Stops the blog (SIGTERM: its shutdown hook closes the server and cache), then waits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
