package io.larder.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stops calling Redis after {@code threshold} consecutive failures, or at once when a command
 * times out (a frozen server; one request may make several commands, and each would wait the
 * whole timeout), so that a dead or frozen server costs a request at most one timeout and then
 * nothing; it closes again when a probe (run by the connection's own thread, never by a
 * request) succeeds. Thread-safe.
 */
final class CircuitBreaker {
    private final int threshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder opens = new LongAdder();
    private volatile boolean open;

    CircuitBreaker(int threshold) {
        this.threshold = threshold;
    }

    /** Whether calls may go to Redis now. */
    boolean allows() {
        return !open;
    }

    /** Records a call that Redis answered. */
    void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /**
     * Records a failed call; opens the breaker on a timeout or when the failures in a row reach
     * the threshold. True if this call opened it.
     */
    boolean failed(boolean timeout) {
        return (consecutiveFailures.incrementAndGet() >= threshold || timeout) && !open && trip();
    }

    /** Opens the breaker at once (the connection is known to be gone); true if it was closed. */
    synchronized boolean trip() {
        if (open) {
            return false;
        }
        open = true;
        opens.increment();
        return true;
    }

    /** Closes the breaker after a successful probe. */
    synchronized void reset() {
        consecutiveFailures.set(0);
        open = false;
    }

    boolean isOpen() {
        return open;
    }

    long opens() {
        return opens.sum();
    }
}
