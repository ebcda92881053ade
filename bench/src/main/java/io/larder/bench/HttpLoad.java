package io.larder.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The HTTP load loop of the benchmarks: a closed loop of {@code connections} keep-alive
 * connections over loopback, each sending its next GET as soon as the last answer's body is read,
 * for a fixed time. Latencies go to an HdrHistogram in microseconds, once as measured and once
 * corrected for coordinated omission: a request that took longer than the expected interval (the
 * median of a warm-up) also records the requests its connection could not send meanwhile.
 *
 * <pre>{@code
 * HttpLoad.Result warm = HttpLoad.run(port, i -> "/en/", 4, Duration.ofSeconds(5), 0, null);
 * HttpLoad.Result r = HttpLoad.run(port, i -> "/en/", 4, Duration.ofSeconds(10),
 *         warm.histogram().getValueAtPercentile(50), null);
 * }</pre>
 */
public final class HttpLoad {
    private static final long MAX_MICROS = 3_600_000_000L;

    private HttpLoad() {
    }

    /** Sees every answer of a run (from the connections' threads: must be thread-safe). */
    public interface Observer {
        /** {@code path} was answered with {@code response}. */
        void answered(String path, Response response);
    }

    /**
     * One answer.
     *
     * @param bodyBytes the body's length
     * @param serverTiming the {@code Server-Timing} header, or {@code null}
     * @param firstByteNanos from the request's write to the first byte of the answer
     */
    public record Response(long bodyBytes, String serverTiming, long firstByteNanos) {
    }

    /**
     * What a run measured.
     *
     * @param requests answers received
     * @param seconds the run's wall time
     * @param histogram latencies as measured, microseconds
     * @param corrected latencies corrected for coordinated omission, microseconds
     */
    public record Result(long requests, double seconds, Histogram histogram,
            Histogram corrected) {
        /** Nothing yet, to merge runs into. */
        public static Result empty() {
            return new Result(0, 0, newHistogram(), newHistogram());
        }

        /** This and {@code other} merged (requests and times summed, histograms added). */
        public Result plus(Result other) {
            Histogram merged = histogram.copy();
            merged.add(other.histogram);
            Histogram mergedCorrected = corrected.copy();
            mergedCorrected.add(other.corrected);
            return new Result(requests + other.requests, seconds + other.seconds, merged,
                    mergedCorrected);
        }

        /** Answers per second. */
        public double perSecond() {
            return seconds == 0 ? 0 : requests / seconds;
        }

        /** The corrected latency at {@code percentile}, in milliseconds. */
        public double millis(double percentile) {
            return corrected.getValueAtPercentile(percentile) / 1000.0;
        }

        /** The measured (uncorrected) latency at {@code percentile}, in milliseconds. */
        public double rawMillis(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        /** One line: throughput and percentiles. */
        public String line(String name) {
            return String.format("%-34s %9.0f req/s  p50 %8.3f ms  p99 %8.3f ms  p99.9 %8.3f ms"
                    + "  max %8.3f ms", name, perSecond(), millis(50), millis(99), millis(99.9),
                    corrected.getMaxValue() / 1000.0);
        }
    }

    /**
     * Runs the loop: {@code connections} connections, each starting at a random index and asking
     * for {@code paths.apply(i++)}, until {@code duration} has passed, and at least once however
     * late a busy machine starts it (a run always measures something). A non-200 answer or a
     * broken connection fails the run.
     *
     * @param expectedMicros the expected interval between a connection's requests for the
     *     coordinated-omission correction (0: no correction)
     * @param observer sees every answer, or {@code null}
     */
    public static Result run(int port, IntFunction<String> paths, int connections,
            Duration duration, long expectedMicros, Observer observer) throws IOException {
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        Histogram[] measured = new Histogram[connections];
        Histogram[] corrected = new Histogram[connections];
        long[] counts = new long[connections];
        IOException[] failures = new IOException[connections];
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int slot = c;
            measured[c] = newHistogram();
            corrected[c] = newHistogram();
            Thread thread = new Thread(() -> {
                int i = ThreadLocalRandom.current().nextInt(1 << 20);
                try (Client client = new Client(port)) {
                    do {
                        String path = paths.apply(i++);
                        long t0 = System.nanoTime();
                        Response response = client.get(path);
                        long micros = (System.nanoTime() - t0) / 1000;
                        measured[slot].recordValue(Math.min(micros, MAX_MICROS));
                        corrected[slot].recordValueWithExpectedInterval(
                                Math.min(micros, MAX_MICROS), expectedMicros);
                        counts[slot]++;
                        if (observer != null) {
                            observer.answered(path, response);
                        }
                    } while (System.nanoTime() < end);
                } catch (IOException e) {
                    failures[slot] = e;
                }
            }, "load-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        for (IOException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = newHistogram();
        Histogram allCorrected = newHistogram();
        long total = 0;
        for (int c = 0; c < connections; c++) {
            all.add(measured[c]);
            allCorrected.add(corrected[c]);
            total += counts[c];
        }
        return new Result(total, elapsed, all, allCorrected);
    }

    /**
     * Load for {@code warmup}, and on in slices of a second until the JIT has seen at least
     * {@code minRequests} requests (slow uncached pages), for at most four times as long.
     */
    static Result warmUp(int port, IntFunction<String> paths, int connections, Duration warmup,
            int minRequests) throws IOException {
        Result warm = run(port, paths, connections, warmup, 0, null);
        long deadline = System.nanoTime() + warmup.multipliedBy(3).toNanos();
        while (warm.requests() < minRequests && System.nanoTime() < deadline) {
            warm = warm.plus(run(port, paths, connections, Duration.ofSeconds(1), 0, null));
        }
        return warm;
    }

    private static Histogram newHistogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    /** A minimal HTTP/1.1 keep-alive client: GET, read the status, headers and body. */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private final String host;

        /** Connects to {@code 127.0.0.1:port}. */
        public Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            host = "127.0.0.1:" + port;
        }

        /** GETs {@code path}; an answer other than 200 is an {@link IOException}. */
        public Response get(String path) throws IOException {
            long t0 = System.nanoTime();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int first = in.read();
            long firstByte = System.nanoTime() - t0;
            if (first < 0) {
                throw new IOException("connection closed");
            }
            String status = (char) first + line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException(path + ": " + status);
            }
            long length = -1;
            boolean chunked = false;
            String timing = null;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("server-timing:")) {
                    timing = header.substring(14).trim();
                }
            }
            long body = 0;
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0;
                        size = Long.parseLong(line().trim(), 16)) {
                    skip(size);
                    body += size;
                    line();
                }
                line();
            } else {
                skip(length);
                body = length;
            }
            return new Response(body, timing, firstByte);
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (read < 0) {
                    throw new IOException("connection closed");
                }
                n -= read;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
