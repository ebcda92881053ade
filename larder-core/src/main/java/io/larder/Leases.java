package io.larder;

import io.larder.spi.Store;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Single-flight across processes that share a store: a load takes the store's lease on its key,
 * so one process loads while the others poll for its entry. The holder renews its lease while it
 * loads; a holder that dies (or a lock nobody holds) stops blocking the others when its last
 * renewal runs out, and the next of them takes the lease. A waiter loads by itself after
 * {@link #MAX_WAIT_LEASES} leases all the same (a holder alive but stuck in its loader).
 */
final class Leases implements AutoCloseable {
    /** How many leases a process waits for another's load, however often it is renewed. */
    static final int MAX_WAIT_LEASES = 10;
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SafeStore store;
    private final EntryReader reader;
    private final Loads loads;
    private final Duration lease;
    private final LeaseKeeper keeper;

    Leases(SafeStore store, EntryReader reader, Loads loads, Duration lease) {
        this.store = store;
        this.reader = reader;
        this.loads = loads;
        this.lease = lease;
        this.keeper = new LeaseKeeper(lease);
    }

    /**
     * Loads {@code key} with the store's lease, or takes the entry another process stored while
     * this one waited. A refresh gives up at once when another process holds the lease.
     *
     * @return the result, or {@code null} when a refresh gave way or the loader skipped the key
     */
    Loads.Result load(Key key, Flight flight, Call call, RegionState state, boolean refresh)
            throws Exception {
        long deadline = System.nanoTime() + MAX_WAIT_LEASES * lease.toNanos();
        long pause = FIRST_POLL_NANOS;
        while (true) {
            Store.Lease grant = store.lease(key, lease);
            if (grant == Store.Lease.GRANTED) {
                return loadHere(key, flight, call, refresh);
            }
            if (grant.granted()) {
                try (grant; AutoCloseable kept = keeper.keep(grant,
                        e -> store.failed("renew lease " + key.region(), e, key.region()))) {
                    Loads.Result stored = storedMeanwhile(key, flight, call, state);
                    return stored != null ? stored : loadHere(key, flight, call, refresh);
                }
            }
            if (refresh) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return loadHere(key, flight, call, false);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
            Loads.Result stored = storedMeanwhile(key, flight, call, state);
            if (stored != null) {
                return stored;
            }
        }
    }

    private Loads.Result loadHere(Key key, Flight flight, Call call, boolean refresh)
            throws Exception {
        return loads.runOne(key, flight, call, refresh);
    }

    /** The fresh entry another load stored, as this flight's value, or {@code null}. */
    Loads.Result storedMeanwhile(Key key, Flight flight, Call call, RegionState state) {
        EntryReader.Found found = reader.readFresh(key, call.type(), state);
        if (found == null) {
            return null;
        }
        flight.stamp(found.entry().tags(), found.entry().generations());
        CurrentLoad.inherit(found.entry());
        return new Loads.Result(found.value(), true, Outcome.JOINED);
    }

    /** Stops renewing leases (held ones run out by themselves). */
    @Override
    public void close() {
        keeper.close();
    }
}
