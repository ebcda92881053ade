package io.larder;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Single-flight in this process: a key missed by many callers at once is loaded by the first,
 * and the others wait for its value (one key, or the missing keys of a bulk get). A value is
 * taken from another caller's load only if that load began after the call, or if no tag it was
 * computed under moved since; otherwise a writer whose invalidation returned before the call
 * could see it return older data.
 */
final class Flights {
    private final ConcurrentMap<Key, Flight> flights = new ConcurrentHashMap<>();
    private final SafeStore store;
    private final EntryReader reader;
    private final Loads loads;
    private final Leases leases;
    private final Regions regions;

    Flights(SafeStore store, EntryReader reader, Loads loads, Leases leases, Regions regions) {
        this.store = store;
        this.reader = reader;
        this.loads = loads;
        this.leases = leases;
        this.regions = regions;
    }

    /** Loads {@code key} on this thread, or waits for the load of another caller. */
    Loads.Result loadOnce(Key key, Call call, RegionState state) {
        long callStart = Flight.lastSequence();
        Flight mine = new Flight(Thread.currentThread());
        Flight theirs;
        while ((theirs = flights.putIfAbsent(key, mine)) != null) {
            // Even a load that began before an invalidation is waited for, not raced: one load
            // per key at a time is the promise. Its value is then checked, and reloaded if old.
            Object value = theirs.await(key);
            if (value == Flight.WOULD_DEADLOCK) {
                return loadUnshared(key, call);
            }
            if (value != Flight.NO_VALUE && joinable(theirs, callStart, key.region())) {
                return new Loads.Result(value, true, Outcome.JOINED);
            }
            // That flight ended without a value for us (a refresh that gave way to another
            // process, a value its loader kept to itself), or began before an invalidation
            // that returned before this call: try again.
        }
        Loads.Result result;
        try {
            // A load may have finished between our read and our flight: use its value.
            result = leases.storedMeanwhile(key, mine, call, state);
            if (result == null) {
                result = leases.load(key, mine, call, state, false);
            }
        } catch (Throwable t) {
            flights.remove(key, mine);
            mine.fail(t);
            throw Flight.rethrow(key, t);
        }
        // Out of the map before it completes: a waiter that cannot use its value and tries
        // again finds no ended flight (its retry reads what this load stored).
        flights.remove(key, mine);
        mine.complete(result.kept() ? result.value() : Flight.NO_VALUE);
        return result;
    }

    /**
     * Loads the missing keys of a bulk get: the ones no other caller loads in one call of this
     * call's loader, the others from their loads. Within this process only (no store lease).
     *
     * @return the result of each key that was loaded or joined; keys the loader skipped are absent
     */
    Map<Key, Loads.Result> loadMany(Set<Key> missing, Call call, long callStart) {
        Map<Key, Flight> mine = new LinkedHashMap<>();
        Map<Key, Flight> theirs = new LinkedHashMap<>();
        for (Key key : missing) {
            Flight flight = new Flight(Thread.currentThread());
            Flight other = flights.putIfAbsent(key, flight);
            if (other == null) {
                mine.put(key, flight);
            } else {
                theirs.put(key, other);
            }
        }
        Map<Key, Loads.Result> results = new LinkedHashMap<>();
        if (!mine.isEmpty()) {
            results.putAll(loadOwned(mine, call));
        }
        theirs.forEach((key, flight) -> results.putAll(join(key, flight, call, callStart)));
        return results;
    }

    /**
     * Loads the keys whose flights this thread registered, and ends those flights (each taken
     * out of the map before it completes, as in {@link #loadOnce}).
     */
    private Map<Key, Loads.Result> loadOwned(Map<Key, Flight> mine, Call call) {
        try {
            return loadMine(mine, call);
        } catch (Throwable t) {
            mine.forEach(flights::remove);
            mine.values().forEach(flight -> flight.fail(t));
            throw Flight.rethrow(mine.keySet().iterator().next(), t);
        }
    }

    /**
     * The value of another caller's flight on {@code key} if this call may take it, else this
     * call's own load of it (or of the flight that follows): a loop, however many flights end
     * without a value for this call.
     */
    private Map<Key, Loads.Result> join(Key key, Flight theirs, Call call, long callStart) {
        Flight flight = theirs;
        while (true) {
            Object value = flight.await(key);
            if (value == Flight.WOULD_DEADLOCK) {
                return loadUnsharedMany(key, call);
            }
            if (value != Flight.NO_VALUE && joinable(flight, callStart, key.region())) {
                return Map.of(key, new Loads.Result(value, true, Outcome.JOINED));
            }
            Flight mine = new Flight(Thread.currentThread());
            Flight other = flights.putIfAbsent(key, mine);
            if (other == null) {
                return loadOwned(Map.of(key, mine), call);
            }
            flight = other;
        }
    }

    /** Loads the keys whose flights this thread holds and completes those flights. */
    private Map<Key, Loads.Result> loadMine(Map<Key, Flight> mine, Call call) throws Exception {
        Map<Key, Loads.Result> results = new LinkedHashMap<>();
        Map<Key, Flight> toLoad = new LinkedHashMap<>(mine);
        // Loads may have finished between our read and our flights: use their values.
        reader.readAll(mine.keySet(), call.type(), regions, true).forEach((key, found) -> {
            Flight flight = toLoad.remove(key);
            flight.stamp(found.entry().tags(), found.entry().generations());
            CurrentLoad.inherit(found.entry());
            flights.remove(key, flight);
            if (found.absent()) {
                flight.complete(Flight.NO_VALUE);
                return;
            }
            flight.complete(found.value());
            results.put(key, new Loads.Result(found.value(), true, Outcome.JOINED));
        });
        if (!toLoad.isEmpty()) {
            Map<Key, Loads.Result> loaded = loads.run(toLoad, call, false);
            toLoad.forEach((key, flight) -> {
                Loads.Result result = loaded.get(key);
                flights.remove(key, flight);
                flight.complete(result != null && result.kept() ? result.value() : Flight.NO_VALUE);
            });
            results.putAll(loaded);
        }
        return results;
    }

    /** Loads without joining or registering a flight: the way out of a cycle of waiting loaders. */
    private Loads.Result loadUnshared(Key key, Call call) {
        return loadUnsharedMany(key, call).get(key);
    }

    private Map<Key, Loads.Result> loadUnsharedMany(Key key, Call call) {
        try {
            return loads.run(Map.of(key, new Flight(Thread.currentThread())), call, false);
        } catch (Throwable t) {
            throw Flight.rethrow(key, t);
        }
    }

    /**
     * Whether a caller that began at {@code callStart} may take the value of another caller's
     * flight: yes if the flight began after the call (it read data committed before the call),
     * or if no tag it was computed under has been invalidated since it began.
     */
    private boolean joinable(Flight flight, long callStart, String region) {
        if (flight.sequence() > callStart) {
            return true;
        }
        if (flight.tags() == null) {
            return false;
        }
        long[] now = store.generations(flight.tags(), region);
        return now != null && Arrays.equals(now, flight.generations());
    }

    /** Registers a background refresh's flight; {@code false} if any flight holds the key. */
    boolean claim(Key key, Flight flight) {
        return flights.putIfAbsent(key, flight) == null;
    }

    /** Ends a flight registered by {@link #claim}. */
    void release(Key key, Flight flight) {
        flights.remove(key, flight);
    }

    /** Marks the load of {@code key} under way, if any, as outdated: it is returned, not stored. */
    void invalidate(Key key) {
        Flight flight = flights.get(key);
        if (flight != null) {
            flight.invalidate();
        }
    }

    /** Marks every load under way in {@code region} as outdated. */
    void invalidateRegion(String region) {
        flights.forEach((key, flight) -> {
            if (key.region().equals(region)) {
                flight.invalidate();
            }
        });
    }
}
