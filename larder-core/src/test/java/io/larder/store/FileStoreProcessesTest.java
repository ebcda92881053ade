package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.StoreContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate JVMs on one root: no garbage, one load among all, atomic tag generations. */
class FileStoreProcessesTest {
    @TempDir
    Path temp;
    private final List<Process> processes = new ArrayList<>();

    /** A started worker JVM, with its output collected until it exits. */
    private record Worker(Process process, CompletableFuture<List<String>> output) {
        String result() throws Exception {
            List<String> lines = output.get(60, TimeUnit.SECONDS);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("exit code; output: %s", lines).isZero();
            return lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no RESULT in " + lines));
        }
    }

    private List<Worker> start(int count, Path go, String... args) throws Exception {
        List<Worker> workers = new ArrayList<>();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    FileStoreWorker.class.getName()));
            for (String arg : args) {
                command.add(arg.replace("{i}", Integer.toString(i)));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(process);
            CompletableFuture<Void> isReady = new CompletableFuture<>();
            ready.add(isReady);
            CompletableFuture<List<String>> output = CompletableFuture.supplyAsync(() -> {
                List<String> lines = new ArrayList<>();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                        if (line.equals("READY")) {
                            isReady.complete(null);
                        }
                    }
                } catch (IOException e) {
                    lines.add(e.toString());
                }
                isReady.complete(null);
                return lines;
            });
            workers.add(new Worker(process, output));
        }
        CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        Files.createFile(go);
        return workers;
    }

    @AfterEach
    void stopWorkers() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
    }

    @Test
    void threeJvmsWritingAndReadingTheSameKeys_onlyEverReadWholeValuesOrMisses() throws Exception {
        Path root = temp.resolve("cache");
        List<Worker> workers = start(3, temp.resolve("go"), "churn", root.toString(),
                temp.resolve("go").toString(), "w{i}", "3000");

        long hits = 0;
        List<String> results = new ArrayList<>();
        for (Worker worker : workers) {
            String result = worker.result();
            results.add(result);
            assertThat(result).contains(" garbage=0 ").contains(" corrupt=0 ").endsWith(" ioErrors=0");
            hits += Long.parseLong(result.replaceAll(".* hits=(\\d+) .*", "$1"));
        }
        assertThat(hits).as("worker results: %s", results).isPositive();
        try (var files = Files.walk(root)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void fourJvmsTimesEightThreads_missingOneKey_loadItOnceInAll() throws Exception {
        Path root = temp.resolve("cache");
        Path loads = temp.resolve("loads.log");
        List<Worker> workers = start(4, temp.resolve("go"), "flight", root.toString(),
                temp.resolve("go").toString(), "8", loads.toString());

        for (Worker worker : workers) {
            assertThat(worker.result()).isEqualTo("RESULT right=8");
        }
        assertThat(Files.readAllLines(loads)).hasSize(1);
    }

    @Test
    void threeJvmsInvalidatingOneTag_addUpExactly() throws Exception {
        Path root = temp.resolve("cache");
        List<Worker> workers = start(3, temp.resolve("go"), "bump", root.toString(),
                temp.resolve("go").toString(), "20000");
        for (Worker worker : workers) {
            assertThat(worker.result()).isEqualTo("RESULT done");
        }

        try (FileStore store = FileStore.builder(root).sweepInBackground(false).build()) {
            store.bind(new StoreContext(InstantSource.system(), Optional.empty()));
            assertThat(store.generations(List.of("shared"))).containsExactly(60_000);
        }
    }
}
