package io.larder.http;

import io.larder.spi.ErrorLog;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One HTTP cache that {@link HttpPurge} purges: a bounded queue of encoded tags and the one
 * thread that drains it, sends the requests the cache takes for a batch, and retries each failed
 * request with a doubling pause before it gives it up. Offering never blocks: a full queue drops
 * the tag and counts it. Counters are shared by every target of one {@link HttpPurge}.
 */
final class PurgeTarget implements Runnable {
    /** The counters of one {@link HttpPurge}. */
    static final class Counters {
        final LongAdder sent = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder dropped = new LongAdder();
    }

    /** How requests are sent and retried. */
    record Policy(HttpClient client, int retries, Duration backoff, Duration maxBackoff,
            Counters counters, ErrorLog errors) { }

    private static final int MAX_BATCH = 100;

    private final String name;
    private final BlockingQueue<String> queue;
    private final int batchBytes;
    private final Function<List<String>, List<HttpRequest>> requests;
    private final Policy policy;
    private final Thread worker;
    private volatile boolean busy;
    private volatile boolean closed;

    /**
     * A target called {@code name} (in logs) whose queue holds {@code capacity} tags; a batch
     * holds tags whose space-separated length stays within {@code batchBytes}, and becomes the
     * requests {@code requests} makes of it ({@link TagHeader#OVERFLOW} is its last tag).
     */
    PurgeTarget(String name, int capacity, int batchBytes,
            Function<List<String>, List<HttpRequest>> requests, Policy policy) {
        this.name = name;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.batchBytes = batchBytes;
        this.requests = requests;
        this.policy = policy;
        this.worker = new Thread(this, "larder-purge " + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues {@code token} without waiting; a full queue drops it, counted and logged. */
    void offer(String token) {
        if (!queue.offer(token)) {
            policy.counters().dropped.increment();
            policy.errors().report("purge at " + name, "the tag was dropped (the purge queue is"
                    + " full); the HTTP cache serves its pages until they expire",
                    new IllegalStateException("purge queue full"));
        }
    }

    /** Tags queued or being sent. */
    int pending() {
        return queue.size() + (busy ? 1 : 0);
    }

    @Override
    public void run() {
        while (!closed) {
            String first;
            try {
                first = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            busy = true;
            try {
                for (HttpRequest request : requests.apply(batch(first))) {
                    if (!send(request)) {
                        return;
                    }
                }
            } finally {
                busy = false;
            }
        }
    }

    /** {@code first} and the queued tags that fit with it, each once, then the overflow tag. */
    private List<String> batch(String first) {
        Set<String> batch = new LinkedHashSet<>();
        batch.add(first);
        int bytes = first.length() + 1 + TagHeader.OVERFLOW.length();
        String next;
        while (batch.size() < MAX_BATCH && (next = queue.peek()) != null
                && bytes + 1 + next.length() <= batchBytes) {
            queue.poll();
            if (batch.add(next)) {
                bytes += 1 + next.length();
            }
        }
        batch.add(TagHeader.OVERFLOW);
        return new ArrayList<>(batch);
    }

    /**
     * Sends {@code request} until a 2xx answers it or its retries are spent (then counts and
     * logs it as failed); false if the target was closed meanwhile.
     */
    private boolean send(HttpRequest request) {
        Duration pause = policy.backoff();
        for (int attempt = 0; ; attempt++) {
            Exception failure;
            try {
                HttpResponse<Void> response = policy.client().send(request,
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    policy.counters().sent.increment();
                    return true;
                }
                failure = new IOException("HTTP " + response.statusCode() + " from "
                        + request.method() + " " + request.uri());
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                return false;
            }
            if (closed) {
                return false;
            }
            if (attempt >= policy.retries()) {
                policy.counters().failed.increment();
                policy.errors().report("purge at " + name, "given up after " + (attempt + 1)
                        + " tries; the HTTP cache serves those pages until they expire",
                        failure);
                return true;
            }
            policy.counters().retried.increment();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return false;
            }
            pause = pause.multipliedBy(2).compareTo(policy.maxBackoff()) > 0
                    ? policy.maxBackoff() : pause.multipliedBy(2);
        }
    }

    /** Stops the thread; queued tags are not sent. */
    void close() {
        closed = true;
        worker.interrupt();
    }
}
