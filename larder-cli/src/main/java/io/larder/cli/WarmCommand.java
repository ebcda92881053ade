package io.larder.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code larder warm URL... | --file FILE}: requests each URL once, at a bounded concurrency and
 * rate so that warming never starves real visitors, with a progress bar; exits 1 if any failed.
 */
@Command(name = "warm", description = "Request a list of URLs once each, with a progress bar.")
final class WarmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", arity = "0..*", description = "URLs to request.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE",
            description = "A file of URLs, one per line ('#' starts a comment).")
    Path file;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "Requests at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", defaultValue = "0",
            description = "Requests per second at most, 0 for no limit.")
    double rate;

    @Option(names = "--timeout", defaultValue = "30",
            description = "Seconds to wait for each response.")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<URI> targets = new ArrayList<>();
        for (String url : urls) {
            targets.add(URI.create(url));
        }
        if (file != null) {
            for (String line : Files.readAllLines(file)) {
                String url = line.strip();
                if (!url.isEmpty() && !url.startsWith("#")) {
                    targets.add(URI.create(url));
                }
            }
        }
        if (targets.isEmpty() || concurrency < 1) {
            spec.commandLine().getErr()
                    .println("give URLs (or --file) and a --concurrency of at least 1");
            return 2;
        }
        return warm(targets);
    }

    private int warm(List<URI> targets) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(timeoutSeconds)).build();
        Map<String, Integer> outcomes = new ConcurrentSkipListMap<>();
        AtomicInteger done = new AtomicInteger();
        Semaphore slots = new Semaphore(concurrency);
        long interval = rate > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / rate) : 0;
        long next = System.nanoTime();
        long start = next;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (URI target : targets) {
                if (interval > 0) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += interval;
                }
                slots.acquire();
                futures.add(pool.submit(() -> {
                    try {
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(target)
                                .timeout(Duration.ofSeconds(timeoutSeconds)).GET().build(),
                                HttpResponse.BodyHandlers.discarding());
                        outcomes.merge(String.valueOf(response.statusCode()), 1, Integer::sum);
                    } catch (Exception e) {
                        outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    } finally {
                        slots.release();
                        progress(err, done.incrementAndGet(), targets.size());
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        err.println();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        out.printf("warmed %d URL(s) in %d ms: %s%n", targets.size(), millis, outcomes);
        out.flush();
        boolean allOk = outcomes.keySet().stream()
                .allMatch(k -> k.startsWith("2") || k.startsWith("3"));
        return allOk ? 0 : 1;
    }

    private static synchronized void progress(PrintWriter err, int done, int total) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        err.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/"
                + total);
        err.flush();
    }
}
