package io.larder;

import io.larder.spi.Store;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The machinery behind {@link Larder}, as a thin coordinator of its parts: {@link EntryReader}
 * (freshness, tags, decoding), {@link Flights} (single-flight in this process), {@link Leases}
 * (across processes), {@link Loads} (the one write path), {@link Refresher} (background refresh)
 * and {@link Invalidator}, all over {@link SafeStore} (store failures become misses).
 */
final class Engine implements AutoCloseable {
    final Regions regions;
    final SafeStore store;
    final Invalidator invalidator;
    private final InstantSource clock;
    private final EntryReader reader;
    private final Leases leases;
    private final Flights flights;
    private final Refresher refresher;
    private final Loads loads;

    Engine(Store store, InstantSource clock, Executor refreshExecutor, Regions regions,
            Duration lease, Duration backoff) {
        this.clock = clock;
        this.regions = regions;
        this.store = new SafeStore(store, regions);
        this.reader = new EntryReader(this.store, clock);
        Loads loads = new Loads(this.store, regions, clock);
        this.leases = new Leases(this.store, reader, loads, lease);
        this.flights = new Flights(this.store, reader, loads, leases, regions);
        this.refresher = new Refresher(flights, leases, this.store, refreshExecutor, clock,
                backoff.toMillis());
        this.invalidator = new Invalidator(flights, this.store);
        this.loads = loads;
    }

    /** The value of {@code key} with its outcome; see {@link Larder#lookup}. */
    <T> Lookup<T> lookup(Key key, Type type, Options options, Source<? extends T> source) {
        long start = System.nanoTime();
        RegionState state = regions.state(key.region());
        EntryReader.Found found = reader.read(key, type, state);
        Object value;
        Outcome outcome;
        if (found != null) {
            outcome = served(found, state);
            if (needsRefresh(found, state)) {
                refresher.refresh(key, Call.of(key, type, options, source), state, found.entry());
            }
            value = found.value();
        } else {
            state.misses.increment();
            Loads.Result result = flights.loadOnce(key, Call.of(key, type, options, source),
                    state);
            value = result.value();
            outcome = result.outcome();
        }
        Trace.record(Trace.CACHE, key.region(), outcome.traceName(), System.nanoTime() - start);
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return new Lookup<>(typed, outcome);
    }

    /** The usable value of {@code key} without loading or refreshing, or {@code null}. */
    <T> Lookup<T> peek(Key key, Type type) {
        EntryReader.Found found = reader.read(key, type, regions.state(key.region()));
        if (found == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        T value = (T) found.value();
        return new Lookup<>(value, found.fresh() ? Outcome.HIT : Outcome.STALE);
    }

    /** The values of many keys, the missing ones loaded together; see {@link Larder#getAll}. */
    <T> Map<Key, T> getAll(Collection<Key> keys, Type type, Options options,
            BulkLoader<? extends T> loader) {
        long start = System.nanoTime();
        long callStart = Flight.lastSequence();
        Call call = Call.ofMany(type, options, loader);
        Set<Key> unique = new LinkedHashSet<>(keys);
        Map<Key, EntryReader.Found> found = reader.readAll(unique, type, regions, false);
        Map<Key, Object> values = new HashMap<>();
        Set<Key> missing = new LinkedHashSet<>();
        for (Key key : unique) {
            RegionState state = regions.state(key.region());
            EntryReader.Found f = found.get(key);
            if (f == null) {
                state.misses.increment();
                missing.add(key);
                continue;
            }
            served(f, state);
            if (needsRefresh(f, state)) {
                refresher.refresh(key, call, state, f.entry());
            }
            if (!f.absent()) {
                values.put(key, f.value());
            }
        }
        if (!missing.isEmpty()) {
            flights.loadMany(missing, call, callStart)
                    .forEach((key, result) -> values.put(key, result.value()));
        }
        Map<Key, T> result = new LinkedHashMap<>();
        for (Key key : unique) {
            if (values.containsKey(key)) {
                @SuppressWarnings("unchecked")
                T value = (T) values.get(key);
                result.put(key, value);
            }
        }
        if (!unique.isEmpty()) {
            Trace.record(Trace.CACHE, unique.iterator().next().region(),
                    (missing.isEmpty() ? Outcome.HIT : Outcome.LOADED).traceName(),
                    System.nanoTime() - start);
        }
        return result;
    }

    /** Counts a read served from the store and passes its tags to the load on this thread. */
    private static Outcome served(EntryReader.Found found, RegionState state) {
        (found.fresh() ? state.hits : state.staleHits).increment();
        CurrentLoad.inherit(found.entry());
        return found.fresh() ? Outcome.HIT : Outcome.STALE;
    }

    private boolean needsRefresh(EntryReader.Found found, RegionState state) {
        return !found.fresh() || Refresher.early(state.region, found.entry(), clock);
    }

    void put(Key key, Object value, Options options) {
        loads.put(key, value, options);
    }

    void invalidate(Key key) {
        invalidator.invalidate(key);
    }

    void invalidateTags(List<String> tags) {
        invalidator.invalidateTags(tags);
    }

    void invalidateRegion(String region) {
        regions.state(region);
        invalidator.invalidateRegion(region);
    }

    Store.Usage usage(String region) {
        return store.usage(region);
    }

    /** Stops renewing leases (the store is closed by its owner). */
    @Override
    public void close() {
        leases.close();
    }
}
