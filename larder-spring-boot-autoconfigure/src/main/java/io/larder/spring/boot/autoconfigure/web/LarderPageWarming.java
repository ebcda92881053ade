package io.larder.spring.boot.autoconfigure.web;

import io.larder.http.WarmQueue;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The warming counts of the auto-configured page filter, which {@code /actuator/larder} shows as
 * {@code pageWarming}: pages, times warmed, failures (each also logged) and pages waiting. Made
 * by {@link LarderWebAutoConfiguration}; it names no servlet type, so that the endpoint loads
 * where the servlet modules are absent.
 */
public final class LarderPageWarming {
    private final Supplier<Optional<WarmQueue.Stats>> stats;

    /** Counts that {@code stats} reads, empty while there is no page filter. */
    public LarderPageWarming(Supplier<Optional<WarmQueue.Stats>> stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** The counts now, or empty where no page filter is registered. */
    public Optional<WarmQueue.Stats> stats() {
        return stats.get();
    }
}
