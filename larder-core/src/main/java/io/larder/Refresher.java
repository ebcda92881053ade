package io.larder;

import io.larder.spi.StoredEntry;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background refreshes: one at a time per key, with the source's {@link Source#refresh()} on the
 * refresh executor, giving way when another process is loading the key; a key whose refresh
 * failed is not tried again until its back-off has passed (its stale value is served meanwhile).
 */
final class Refresher {
    private static final int MAX_BACKOFF_KEYS = 10_000;

    private final Flights flights;
    private final Leases leases;
    private final SafeStore store;
    private final Executor executor;
    private final InstantSource clock;
    private final long backoffMillis;
    private final ConcurrentMap<Key, Long> backoff = new ConcurrentHashMap<>();

    Refresher(Flights flights, Leases leases, SafeStore store, Executor executor,
            InstantSource clock, long backoffMillis) {
        this.flights = flights;
        this.leases = leases;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.backoffMillis = backoffMillis;
    }

    /** Two daemon threads with a bounded queue: the default refresh executor. */
    static ExecutorService defaultExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_BACKOFF_KEYS), task -> {
                    Thread thread = new Thread(task, "larder-refresh-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * Whether a fresh entry should be refreshed already: XFetch (Vattani et al. 2015) refreshes
     * when {@code now - delta * beta * ln(rand) >= expiry}, delta being the load's cost.
     */
    static boolean early(Region region, StoredEntry entry, InstantSource clock) {
        double beta = region.earlyRefresh();
        if (beta == 0) {
            return false;
        }
        long now = clock.millis();
        double deltaMillis = entry.computeNanos() / 1e6;
        double rand = ThreadLocalRandom.current().nextDouble(Double.MIN_VALUE, 1.0);
        return now - deltaMillis * beta * Math.log(rand) >= entry.freshUntil();
    }

    /** Refreshes {@code key} in the background unless a load runs or replaced {@code seen}. */
    void refresh(Key key, Call call, RegionState state, StoredEntry seen) {
        Long retryAt = backoff.get(key);
        if (retryAt != null && clock.millis() < retryAt) {
            return;
        }
        Flight flight = new Flight(null);
        if (!flights.claim(key, flight)) {
            return;
        }
        // A refresh may have stored a newer entry and ended between our read and our flight:
        // then there is nothing to refresh (it would be a second load for one expiry).
        StoredEntry current = store.get(key);
        if (current != null && current.createdAt() > seen.createdAt()) {
            flights.release(key, flight);
            flight.complete(Flight.NO_VALUE);
            return;
        }
        try {
            executor.execute(() -> run(key, call, state, flight));
        } catch (RejectedExecutionException e) {
            flights.release(key, flight);
            flight.fail(e);
        }
    }

    private void run(Key key, Call call, RegionState state, Flight flight) {
        flight.runBy(Thread.currentThread());
        try {
            Loads.Result result = leases.load(key, flight, call, state, true);
            flight.complete(result != null && result.kept() ? result.value() : Flight.NO_VALUE);
            backoff.remove(key);
        } catch (Throwable t) {
            flight.fail(t);
            if (backoff.size() > MAX_BACKOFF_KEYS) {
                backoff.clear();
            }
            backoff.put(key, clock.millis() + backoffMillis);
            store.report("refresh of " + key.region(), "the stale value is kept", t);
        } finally {
            flights.release(key, flight);
        }
    }
}
