package io.larder.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a test class's {@code main} on this test's class path, with its output
 * collected line by line: the worker prints {@code READY} once set up, may report its progress
 * in lines a test waits for ({@link #awaitLine}), and prints one {@code RESULT} line at the end.
 * Tests kill workers with {@link #kill()} (SIGKILL on Linux) to simulate crashes.
 */
public final class WorkerJvm implements AutoCloseable {
    /** How long a worker may take to print a line before the test gives up on it as hung. */
    private static final long PATIENCE_SECONDS = 120;

    private final Process process;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private boolean ended; // guarded by this
    private final CompletableFuture<List<String>> output;

    private WorkerJvm(Process process) {
        this.process = process;
        this.output = CompletableFuture.supplyAsync(this::collect);
    }

    /** Starts {@code main} of {@code mainClass} with {@code args} in a small JVM. */
    public static WorkerJvm start(Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                mainClass.getName()));
        command.addAll(args);
        return new WorkerJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private List<String> collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                lines.add(e.toString());
            }
        }
        synchronized (this) {
            ended = true;
            notifyAll();
            return List.copyOf(lines);
        }
    }

    /** Waits until the worker printed {@code READY}; fails if it exited first. */
    public WorkerJvm awaitReady() throws Exception {
        return awaitLine("READY");
    }

    /**
     * Waits until the worker printed exactly {@code expected} as a line: its own report of its
     * progress, however slow the machine. Fails if it exits first, or stays silent for minutes.
     */
    public WorkerJvm awaitLine(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        int seen = 0;
        synchronized (this) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (lines.get(seen).equals(expected)) {
                        return this;
                    }
                }
                if (ended) {
                    throw new AssertionError("worker exited before printing " + expected
                            + "; output: " + lines);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("worker silent for " + PATIENCE_SECONDS
                            + " s, waiting for " + expected + "; output: " + lines);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** The worker's {@code RESULT} line, after it exited with status 0. */
    public String result() throws Exception {
        List<String> all = output.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("worker failed; output: " + all);
        }
        return all.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT in " + all));
    }

    /** Kills the worker at once (SIGKILL on Linux: no shutdown hook, no finally) and waits. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
