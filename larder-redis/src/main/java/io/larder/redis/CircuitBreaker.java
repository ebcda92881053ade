package io.larder.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stops calling Redis after {@code threshold} consecutive failures, so that a dead or frozen
 * server costs a request nothing; it closes again when a probe (run by the connection's own
 * thread, never by a request) succeeds. Thread-safe and lock-free.
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

    /** Records a failed call; opens the breaker when the failures in a row reach the threshold. */
    void failed() {
        if (consecutiveFailures.incrementAndGet() >= threshold && !open) {
            trip();
        }
    }

    /** Opens the breaker at once (for example when the connection is known to be gone). */
    synchronized void trip() {
        if (!open) {
            open = true;
            opens.increment();
        }
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
