package io.larder;

import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
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

    /** The value of {@code key}; see {@link Larder#get}. Allocates nothing on a hit. */
    Object get(Key key, Type type, Options options, Loader<?> loader) {
        long start = System.nanoTime();
        long now = clock.millis();
        RegionState state = regions.state(key.region());
        StoredEntry entry = reader.entry(key, now, false);
        Object value = entry == null ? Flight.NO_VALUE : reader.decode(key, entry, type, state);
        if (value == Flight.NO_VALUE) {
            return missed(key, Call.of(key, type, options, Source.of(loader)), state, start)
                    .value();
        }
        if (served(key, entry, state, now, start)) {
            refresher.refresh(key, Call.of(key, type, options, Source.of(loader)), state, entry);
        }
        return value;
    }

    /** The stored value of {@code key} with its entry, or null; see {@link Larder#lookupStored}. */
    <T> Snapshot<T> lookupStored(Key key, Class<T> type, Options options,
            Source<? extends T> source) {
        long start = System.nanoTime();
        long now = clock.millis();
        RegionState state = regions.state(key.region());
        StoredEntry entry = reader.entry(key, now, false);
        Object value = entry == null ? Flight.NO_VALUE : reader.decode(key, entry, type, state);
        if (value == Flight.NO_VALUE) {
            return null;
        }
        Outcome outcome = servedFrom(key, entry, state, now, start, type, options, source);
        return new Snapshot<>(key, type, entry, type.cast(value), outcome);
    }

    /** Whether {@code last} is a fresh hit again, without a read; see {@link Larder#hitAgain}. */
    boolean hitAgain(Snapshot<?> last) {
        long start = System.nanoTime();
        long now = clock.millis();
        StoredEntry entry = last.entry;
        if (!reader.freshAgain(last.key, entry, now)) {
            return false;
        }
        RegionState state = regions.state(last.key.region());
        if (Refresher.early(state.region, entry, clock)) {
            return false;
        }
        state.hits.increment();
        Trace.record(Trace.CACHE, last.key.region(), Outcome.HIT.traceName(),
                System.nanoTime() - start);
        return true;
    }

    /** The value of {@code key} with its outcome; see {@link Larder#lookup}. */
    <T> Lookup<T> lookup(Key key, Type type, Options options, Source<? extends T> source) {
        long start = System.nanoTime();
        long now = clock.millis();
        RegionState state = regions.state(key.region());
        StoredEntry entry = reader.entry(key, now, false);
        Object value = entry == null ? Flight.NO_VALUE : reader.decode(key, entry, type, state);
        Outcome outcome;
        if (value == Flight.NO_VALUE) {
            Loads.Result result = missed(key, Call.of(key, type, options, source), state, start);
            value = result.value();
            outcome = result.outcome();
        } else {
            outcome = servedFrom(key, entry, state, now, start, type, options, source);
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return new Lookup<>(typed, outcome);
    }

    /**
     * As {@link #served(Key, StoredEntry, RegionState, long, long)}, then refreshes the entry by
     * {@code source} in the background if that is due; hit or stale.
     */
    private <T> Outcome servedFrom(Key key, StoredEntry entry, RegionState state, long now,
            long start, Type type, Options options, Source<? extends T> source) {
        if (served(key, entry, state, now, start)) {
            refresher.refresh(key, Call.of(key, type, options, source), state, entry);
        }
        return now < entry.freshUntil() ? Outcome.HIT : Outcome.STALE;
    }

    /**
     * Counts and traces a read served from the store and passes its tags to the load on this
     * thread; whether a background refresh is due (stale, or early refresh).
     */
    private boolean served(Key key, StoredEntry entry, RegionState state, long now, long start) {
        boolean fresh = now < entry.freshUntil();
        Trace.record(Trace.CACHE, key.region(), (fresh ? Outcome.HIT : Outcome.STALE).traceName(),
                System.nanoTime() - start);
        return served(entry, fresh, state);
    }

    /** Counts a read served from the store, passes on its tags; whether a refresh is due. */
    private boolean served(StoredEntry entry, boolean fresh, RegionState state) {
        (fresh ? state.hits : state.staleHits).increment();
        CurrentLoad.inherit(entry);
        return !fresh || Refresher.early(state.region, entry, clock);
    }

    /** Loads a missed key once in this process (or joins its load), counted and traced. */
    private Loads.Result missed(Key key, Call call, RegionState state, long start) {
        state.misses.increment();
        Loads.Result result = flights.loadOnce(key, call, state);
        Trace.record(Trace.CACHE, key.region(), result.outcome().traceName(),
                System.nanoTime() - start);
        return result;
    }

    /** The usable value of {@code key} without loading or refreshing, or {@code null}. */
    <T> Lookup<T> peek(Key key, Type type) {
        long now = clock.millis();
        StoredEntry entry = reader.entry(key, now, false);
        Object value = entry == null ? Flight.NO_VALUE : reader.decode(key, entry, type, regions);
        if (value == Flight.NO_VALUE) {
            return null;
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return new Lookup<>(typed, now < entry.freshUntil() ? Outcome.HIT : Outcome.STALE);
    }

    /** The usable value of {@code key}, {@code last} if it still is; or {@code null}. */
    <T> Snapshot<T> peek(Key key, Class<T> type, Snapshot<T> last) {
        if (last != null && last.type == type && last.key.equals(key)
                && reader.still(key, last.entry)) {
            return last;
        }
        long now = clock.millis();
        StoredEntry entry = reader.entry(key, now, false);
        Object value = entry == null ? Flight.NO_VALUE : reader.decode(key, entry, type, regions);
        if (value == Flight.NO_VALUE) {
            return null;
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return new Snapshot<>(key, type, entry, typed,
                now < entry.freshUntil() ? Outcome.HIT : Outcome.STALE);
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
            if (served(f.entry(), f.fresh(), state)) {
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

    /**
     * Configures {@code region}, replacing its settings if it had some; a bound that changed is
     * passed to the store (which then drops the region's entries it holds in memory).
     */
    Region configure(Region region) {
        RegionState known = regions.all().get(region.name());
        Region previous = known == null ? null : known.region;
        regions.configure(region);
        boolean bounded = region.maximumEntries().isPresent()
                || region.maximumBytes().isPresent();
        if (previous == null ? bounded
                : !previous.maximumEntries().equals(region.maximumEntries())
                        || !previous.maximumBytes().equals(region.maximumBytes())) {
            store.boundRegion(region);
        }
        return region;
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
