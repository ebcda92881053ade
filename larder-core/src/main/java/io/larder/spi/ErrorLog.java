package io.larder.spi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a failure once per burst: the first of a kind is logged with its stack trace, the ones
 * that follow within the burst window only counted, and the count is logged when the next burst
 * begins. A broken disk or a dead Redis writes a few lines a minute, not one per request.
 * Stores use it for failures of their own background work. Thread-safe.
 */
public final class ErrorLog {
    private final Logger log;
    private final long windowNanos;
    private final ConcurrentMap<String, Burst> bursts = new ConcurrentHashMap<>();

    private static final class Burst {
        final long startNanos;
        final AtomicLong suppressed = new AtomicLong();

        Burst(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /**
     * A log that writes to {@code log} at most once per {@code windowSeconds} per kind of failure.
     */
    public ErrorLog(Logger log, long windowSeconds) {
        this.log = log;
        this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
    }

    /**
     * Reports a failure of {@code operation} (for example "get home-posts"); logs it if it starts
     * a burst of its kind.
     */
    public void report(String operation, Throwable failure) {
        report(operation, "served as a miss", failure);
    }

    /**
     * Reports a failure of {@code operation} whose effect was {@code consequence} (for example
     * "queued to retry"); logs it if it starts a burst of its kind.
     */
    public void report(String operation, String consequence, Throwable failure) {
        String kind = operation + '|' + failure.getClass().getName();
        long now = System.nanoTime();
        Burst burst = bursts.get(kind);
        if (burst != null && now - burst.startNanos < windowNanos) {
            burst.suppressed.incrementAndGet();
            return;
        }
        Burst next = new Burst(now);
        boolean won = burst == null ? bursts.putIfAbsent(kind, next) == null
                : bursts.replace(kind, burst, next);
        if (!won) {
            Burst current = bursts.get(kind);
            if (current != null) {
                current.suppressed.incrementAndGet();
            }
            return;
        }
        long missed = burst == null ? 0 : burst.suppressed.get();
        String more = missed == 0 ? "" : " (" + missed + " more like it were not logged)";
        log.warn("Larder: {} failed; {}{}: {}", operation, consequence, more, failure.toString(),
                failure);
    }
}
