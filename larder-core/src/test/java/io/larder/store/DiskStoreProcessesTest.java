package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.StoreContext;
import io.larder.testing.WorkerJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate JVMs on one root: no garbage, one load among all, atomic tag generations. */
class DiskStoreProcessesTest {
    @TempDir
    Path temp;
    private final List<WorkerJvm> workers = new ArrayList<>();

    private List<WorkerJvm> start(int count, Path go, String... args) throws Exception {
        List<WorkerJvm> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> workerArgs = new ArrayList<>();
            for (String arg : args) {
                workerArgs.add(arg.replace("{i}", Integer.toString(i)));
            }
            WorkerJvm worker = WorkerJvm.start(DiskStoreWorker.class, workerArgs);
            workers.add(worker);
            started.add(worker);
        }
        for (WorkerJvm worker : started) {
            worker.awaitReady();
        }
        Files.createFile(go);
        return started;
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (WorkerJvm worker : workers) {
            worker.close();
        }
    }

    @Test
    void threeJvmsWritingAndReadingTheSameKeys_onlyEverReadWholeValuesOrMisses() throws Exception {
        Path root = temp.resolve("cache");
        List<WorkerJvm> started = start(3, temp.resolve("go"), "churn", root.toString(),
                temp.resolve("go").toString(), "w{i}", "3000");

        long hits = 0;
        List<String> results = new ArrayList<>();
        for (WorkerJvm worker : started) {
            String result = worker.result();
            results.add(result);
            assertThat(result).contains(" garbage=0 ").contains(" corrupt=0 ")
                    .endsWith(" ioErrors=0");
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
        List<WorkerJvm> started = start(4, temp.resolve("go"), "flight", root.toString(),
                temp.resolve("go").toString(), "8", loads.toString());

        for (WorkerJvm worker : started) {
            assertThat(worker.result()).isEqualTo("RESULT right=8");
        }
        assertThat(Files.readAllLines(loads)).hasSize(1);
    }

    @Test
    void threeJvmsInvalidatingOneTag_addUpExactly() throws Exception {
        Path root = temp.resolve("cache");
        long start;
        try (DiskStore store = DiskStore.builder(root).sweepInBackground(false).build()) {
            store.bind(new StoreContext(InstantSource.system(), Optional.empty()));
            start = store.generations(List.of("shared"))[0];
        }
        List<WorkerJvm> started = start(3, temp.resolve("go"), "bump", root.toString(),
                temp.resolve("go").toString(), "20000");
        for (WorkerJvm worker : started) {
            assertThat(worker.result()).isEqualTo("RESULT done");
        }

        try (DiskStore store = DiskStore.builder(root).sweepInBackground(false).build()) {
            store.bind(new StoreContext(InstantSource.system(), Optional.empty()));
            assertThat(store.generations(List.of("shared"))).containsExactly(start + 60_000);
        }
    }
}
