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
 * collected line by line: the worker prints {@code READY} once set up and one {@code RESULT} line
 * at the end. Tests kill workers with {@link #kill()} (SIGKILL on Linux) to simulate crashes.
 */
public final class WorkerJvm implements AutoCloseable {
    private final Process process;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
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
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.equals("READY")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            lines.add(e.toString());
        }
        ready.complete(null);
        return lines;
    }

    /** Waits until the worker printed {@code READY} (or exited). */
    public WorkerJvm awaitReady() throws Exception {
        ready.get(60, TimeUnit.SECONDS);
        if (!process.isAlive()) {
            throw new AssertionError("worker exited before READY: " + output.get());
        }
        return this;
    }

    /** The worker's {@code RESULT} line, after it exited with status 0. */
    public String result() throws Exception {
        List<String> lines = output.get(120, TimeUnit.SECONDS);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("worker failed; output: " + lines);
        }
        return lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT in " + lines));
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
