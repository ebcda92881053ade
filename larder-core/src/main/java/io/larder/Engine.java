package io.larder;

import io.larder.internal.CurrentLoad;
import io.larder.internal.ErrorLog;
import io.larder.internal.Flight;
import io.larder.internal.LeaseKeeper;
import io.larder.spi.Payload;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@link Larder}: reads with freshness and tag checks, single-flight loads
 * (in this JVM by a map of flights, across processes by the store's lease), background refresh,
 * and the error policy that turns store failures into misses.
 */
final class Engine {
    /** Marks "no usable value" where {@code null} is a value. */
    private static final Object NO_VALUE = new Object();
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How many leases a process waits for another's load, however often it is renewed. */
    private static final int MAX_WAIT_LEASES = 10;

    final Store store;
    final ConcurrentMap<String, RegionState> regions = new ConcurrentHashMap<>();
    final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();
    private final InstantSource clock;
    private final Executor refresher;
    private final Region defaults;
    private final Duration lease;
    private final LeaseKeeper leaseKeeper;
    private final long backoffMillis;
    private final ConcurrentMap<Key, Flight> flights = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Long> refreshBackoff = new ConcurrentHashMap<>();
    /** Invalidations the store failed to apply (their entries may be served until they expire). */
    final LongAdder invalidationErrors = new LongAdder();
    private final ErrorLog errors = new ErrorLog(LoggerFactory.getLogger(Larder.class), 60);

    Engine(Store store, InstantSource clock, Executor refresher, Region defaults, Duration lease,
            Duration backoff) {
        this.store = store;
        this.clock = clock;
        this.refresher = refresher;
        this.defaults = defaults;
        this.lease = lease;
        this.leaseKeeper = new LeaseKeeper(lease);
        this.backoffMillis = backoff.toMillis();
    }

    void configure(Region region) {
        regions.put(region.name(), new RegionState(region));
    }

    RegionState state(String name) {
        RegionState state = regions.get(name);
        if (state != null) {
            return state;
        }
        Region region = new Region(name, defaults.ttl(), defaults.staleFor(), defaults.codec(),
                Set.of(), defaults.earlyRefresh());
        return regions.computeIfAbsent(name, n -> new RegionState(region));
    }

    // ---- reads

    Object get(Key key, Type type, Options options, Loader<?> loader) {
        long start = System.nanoTime();
        RegionState state = state(key.region());
        StoredEntry entry = lookup(key, state);
        if (entry != null) {
            long now = clock.millis();
            if (now < entry.usableUntil()) {
                Object value = decode(key, entry, type, state);
                if (value != NO_VALUE) {
                    boolean fresh = now < entry.freshUntil();
                    if (fresh) {
                        state.hits.increment();
                        if (refreshEarly(state.region, entry, now)) {
                            refreshInBackground(key, type, options, loader, state, entry);
                        }
                    } else {
                        state.staleHits.increment();
                        refreshInBackground(key, type, options, loader, state, entry);
                    }
                    inheritTags(entry);
                    Trace.record("cache", key.region(), fresh ? "hit" : "stale",
                            System.nanoTime() - start);
                    return value;
                }
            }
        }
        state.misses.increment();
        Object value = loadOnce(key, type, options, loader, state);
        Trace.record("cache", key.region(), "miss", System.nanoTime() - start);
        return value;
    }

    Object peek(Key key, Type type) {
        RegionState state = state(key.region());
        StoredEntry entry = lookup(key, state);
        if (entry == null || clock.millis() >= entry.usableUntil()) {
            return null;
        }
        Object value = decode(key, entry, type, state);
        return value == NO_VALUE ? null : value;
    }

    /** The entry of {@code key} if it exists and no tag it was written under moved since. */
    private StoredEntry lookup(Key key, RegionState state) {
        try {
            StoredEntry entry = store.get(key);
            if (entry == null || entry.untagged()
                    || entry.matches(store.generations(entry.tags()))) {
                return entry;
            }
            return null;
        } catch (RuntimeException e) {
            storeFailed("get " + key.region(), e, state);
            return null;
        }
    }

    private Object decode(Key key, StoredEntry entry, Type type, RegionState state) {
        try {
            return entry.payload().value(type, state.region.codec());
        } catch (IOException | RuntimeException e) {
            // Written by another version of the value's class, or damaged: a miss, and gone.
            storeFailed("decode " + key.region() + " as " + type.getTypeName(), e, state);
            remove(key, state);
            return NO_VALUE;
        }
    }

    /** Passes an entry's tags to the load running on this thread, if any (no copy otherwise). */
    private static void inheritTags(StoredEntry entry) {
        if (CurrentLoad.active()) {
            CurrentLoad.inherit(entry.tags(), entry.generations());
        }
    }

    private static boolean refreshEarly(Region region, StoredEntry entry, long now) {
        double beta = region.earlyRefresh();
        if (beta == 0) {
            return false;
        }
        // XFetch: refresh when now - delta * beta * ln(rand) >= expiry.
        double deltaMillis = entry.computeNanos() / 1e6;
        double rand = ThreadLocalRandom.current().nextDouble(Double.MIN_VALUE, 1.0);
        return now - deltaMillis * beta * Math.log(rand) >= entry.freshUntil();
    }

    // ---- loads

    private Object loadOnce(Key key, Type type, Options options, Loader<?> loader,
            RegionState state) {
        long callStart = Flight.lastSequence();
        Flight mine = new Flight(Thread.currentThread());
        Flight theirs;
        while ((theirs = flights.putIfAbsent(key, mine)) != null) {
            // Even a load that began before an invalidation is waited for, not raced: one load
            // per key at a time is the promise. Its value is then checked, and reloaded if old.
            Object value = theirs.await(key);
            if (value == Flight.WOULD_DEADLOCK) {
                return loadUnshared(key, type, options, loader, state);
            }
            if (value != NO_VALUE && joinable(theirs, callStart, state)) {
                return value;
            }
            // That flight ended without a value for us (a refresh that gave way to another
            // process, a bulk load that skipped the key), or began before an invalidation
            // that returned before this call: try again.
        }
        try {
            // A load may have finished between our read and our flight: use its value.
            Object value = freshValue(key, type, state, mine);
            if (value == NO_VALUE) {
                value = loadAcrossProcesses(key, type, options, loader, state, mine, true);
            }
            mine.complete(value);
            return value;
        } catch (Throwable t) {
            mine.fail(t);
            throw Flight.rethrow(key, t);
        } finally {
            flights.remove(key, mine);
        }
    }

    /** Loads without joining or registering a flight: the way out of a cycle of waiting loaders. */
    private Object loadUnshared(Key key, Type type, Options options, Loader<?> loader,
            RegionState state) {
        try {
            return loadAndStore(key, type, options, loader, state,
                    new Flight(Thread.currentThread()));
        } catch (Throwable t) {
            throw Flight.rethrow(key, t);
        }
    }

    private Object freshValue(Key key, Type type, RegionState state, Flight flight) {
        StoredEntry entry = lookup(key, state);
        if (entry == null || clock.millis() >= entry.freshUntil()) {
            return NO_VALUE;
        }
        Object value = decode(key, entry, type, state);
        if (value != NO_VALUE) {
            flight.stamp(entry.tags(), entry.generations());
            inheritTags(entry);
        }
        return value;
    }

    /**
     * Whether a caller that began at {@code callStart} may take the value of another caller's
     * flight: yes if the flight began after the call (it read data committed before the call),
     * or if no tag it was computed under has been invalidated since it began. Otherwise a writer
     * whose invalidation returned before this call could see this call return older data.
     */
    private boolean joinable(Flight flight, long callStart, RegionState state) {
        return flight.sequence() > callStart
                || (flight.tags() != null && stillCurrent(flight, state));
    }

    /** Whether no tag that {@code flight} recorded has been invalidated since it recorded it. */
    private boolean stillCurrent(Flight flight, RegionState state) {
        long[] now = generations(flight.tags(), state);
        return now != null && Arrays.equals(now, flight.generations());
    }

    /**
     * Loads with the store's lease, so that one process loads while the others wait for its
     * entry. The holder renews its lease while it loads; a holder that dies (or a lock nobody
     * holds) stops blocking the others when its last renewal runs out, and the next of them takes
     * the lease. A waiter loads by itself after {@link #MAX_WAIT_LEASES} leases all the same (a
     * holder alive but stuck in its loader). A background refresh ({@code wait} false) gives up
     * at once when another process holds the lease.
     */
    private Object loadAcrossProcesses(Key key, Type type, Options options, Loader<?> loader,
            RegionState state, Flight flight, boolean wait) throws Exception {
        long deadline = System.nanoTime() + MAX_WAIT_LEASES * lease.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(2);
        while (true) {
            Store.Lease grant = lease(key, state);
            if (grant == Store.Lease.GRANTED) {
                return loadAndStore(key, type, options, loader, state, flight);
            }
            if (grant.granted()) {
                try (grant; AutoCloseable kept = leaseKeeper.keep(grant,
                        e -> storeFailed("renew lease " + key.region(), e, state))) {
                    Object value = freshValue(key, type, state, flight);
                    if (value != NO_VALUE) {
                        return value;
                    }
                    return loadAndStore(key, type, options, loader, state, flight);
                }
            }
            if (!wait) {
                return NO_VALUE;
            }
            if (System.nanoTime() > deadline) {
                return loadAndStore(key, type, options, loader, state, flight);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
            Object value = freshValue(key, type, state, flight);
            if (value != NO_VALUE) {
                return value;
            }
        }
    }

    private Store.Lease lease(Key key, RegionState state) {
        try {
            return store.lease(key, lease);
        } catch (RuntimeException e) {
            storeFailed("lease " + key.region(), e, state);
            return Store.Lease.GRANTED;
        }
    }

    private Object loadAndStore(Key key, Type type, Options options, Loader<?> loader,
            RegionState state, Flight flight) throws Exception {
        List<String> declared = state.declaredTags(options);
        long[] before = generations(withAny(declared), state);
        if (before != null) {
            flight.stamp(declared, Arrays.copyOf(before, declared.size()));
        }
        Loaded loaded = runLoader(loader, state);
        long now = clock.millis();
        Stamp stamp = stamp(declared, before, loaded.load, state);
        if (stamp != null && !flight.invalidated()) {
            write(key, loaded.value, type, options, state, now, loaded.nanos, stamp);
            if (flight.invalidated()) {
                remove(key, state);
            }
        }
        if (stamp != null) {
            flight.stamp(stamp.tags, stamp.generations);
            CurrentLoad.inherit(stamp.tags, stamp.generations);
        }
        return loaded.value;
    }

    private record Loaded(Object value, long nanos, CurrentLoad load) { }

    private record Stamp(List<String> tags, long[] generations) { }

    private Loaded runLoader(Loader<?> loader, RegionState state) throws Exception {
        CurrentLoad load = CurrentLoad.enter();
        long start = System.nanoTime();
        long startMillis = clock.millis();
        try {
            Object value = loader.load();
            long nanos = System.nanoTime() - start;
            state.loads.increment();
            state.loadNanos.add(nanos);
            // Early refresh weighs the load's cost on the cache's clock (the one expiry uses).
            long clockNanos = TimeUnit.MILLISECONDS.toNanos(clock.millis() - startMillis);
            return new Loaded(value, Math.max(nanos, clockNanos), load);
        } catch (Exception | Error e) {
            state.loads.increment();
            state.loadFailures.increment();
            state.loadNanos.add(System.nanoTime() - start);
            throw e;
        } finally {
            load.exit();
        }
    }

    /**
     * The tags and generations an entry is written under: the declared tags at their generations
     * from before the load, then the tags of entries read during the load at the generations
     * those were written under, then tags named during the load. Generations of named tags are
     * read now; if any invalidation happened during the load, they are recorded one behind, so
     * the entry is a miss rather than a value older than an invalidation. {@code null} when the
     * store cannot tell generations: the value is then not stored.
     */
    private Stamp stamp(List<String> declared, long[] before, CurrentLoad load, RegionState state) {
        if (before == null) {
            return null;
        }
        Map<String, Long> tags = new LinkedHashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            tags.put(declared.get(i), before[i]);
        }
        load.inherited().forEach((tag, generation) -> tags.merge(tag, generation, Math::min));
        Set<String> named = new LinkedHashSet<>(load.named());
        named.removeAll(tags.keySet());
        if (!named.isEmpty()) {
            List<String> namedTags = new ArrayList<>(named);
            long[] now = generations(withAny(namedTags), state);
            if (now == null) {
                return null;
            }
            boolean moved = now[now.length - 1] != before[before.length - 1];
            for (int i = 0; i < namedTags.size(); i++) {
                tags.put(namedTags.get(i), moved ? now[i] - 1 : now[i]);
            }
        }
        long[] generations = new long[tags.size()];
        int i = 0;
        for (long generation : tags.values()) {
            generations[i++] = generation;
        }
        return new Stamp(List.copyOf(tags.keySet()), generations);
    }

    private static List<String> withAny(List<String> tags) {
        List<String> all = new ArrayList<>(tags.size() + 1);
        all.addAll(tags);
        all.add(RegionState.ANY_TAG);
        return all;
    }

    private long[] generations(List<String> tags, RegionState state) {
        try {
            return store.generations(tags);
        } catch (RuntimeException e) {
            storeFailed("read tag generations", e, state);
            return null;
        }
    }

    private void write(Key key, Object value, Type type, Options options, RegionState state,
            long now, long computeNanos, Stamp stamp) {
        Region region = state.region;
        long ttl = (options.ttl() != null ? options.ttl() : region.ttl()).toMillis();
        long stale = (options.staleFor() != null ? options.staleFor() : region.staleFor())
                .toMillis();
        StoredEntry entry = new StoredEntry(Payload.ofValue(value, type, region.codec()), now,
                saturatedAdd(now, ttl), saturatedAdd(now, ttl + stale), computeNanos, stamp.tags,
                stamp.generations);
        try {
            store.put(key, entry);
        } catch (RuntimeException e) {
            storeFailed("put " + key.region(), e, state);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** Refreshes {@code key} in the background unless a refresh runs or replaced {@code seen}. */
    private void refreshInBackground(Key key, Type type, Options options, Loader<?> loader,
            RegionState state, StoredEntry seen) {
        Long retryAt = refreshBackoff.get(key);
        if (retryAt != null && clock.millis() < retryAt) {
            return;
        }
        Flight flight = new Flight(null);
        if (flights.putIfAbsent(key, flight) != null) {
            return;
        }
        // A refresh may have stored a newer entry and ended between our read and our flight:
        // then there is nothing to refresh (it would be a second load for one expiry).
        StoredEntry current = lookup(key, state);
        if (current != null && current.createdAt() > seen.createdAt()) {
            flights.remove(key, flight);
            flight.complete(NO_VALUE);
            return;
        }
        try {
            refresher.execute(() -> refresh(key, type, options, loader, state, flight));
        } catch (RejectedExecutionException e) {
            flights.remove(key, flight);
            flight.fail(e);
        }
    }

    private void refresh(Key key, Type type, Options options, Loader<?> loader, RegionState state,
            Flight flight) {
        flight.runBy(Thread.currentThread());
        try {
            Object value = loadAcrossProcesses(key, type, options, loader, state, flight, false);
            flight.complete(value);
            refreshBackoff.remove(key);
        } catch (Throwable t) {
            flight.fail(t);
            if (refreshBackoff.size() > 10_000) {
                refreshBackoff.clear();
            }
            refreshBackoff.put(key, clock.millis() + backoffMillis);
            errors.report("refresh of " + key.region() + " (stale value kept)", t);
        } finally {
            flights.remove(key, flight);
        }
    }

    // ---- bulk

    @SuppressWarnings("unchecked")
    <T> Map<Key, T> getAll(Collection<Key> keys, Type type, Options options,
            BulkLoader<? extends T> loader) {
        long callStart = Flight.lastSequence();
        Map<Key, Object> found = new LinkedHashMap<>();
        Set<Key> missing = new LinkedHashSet<>();
        for (Key key : keys) {
            Object value = NO_VALUE;
            RegionState state = state(key.region());
            StoredEntry entry = lookup(key, state);
            long now = clock.millis();
            if (entry != null && now < entry.usableUntil()) {
                value = decode(key, entry, type, state);
            }
            if (value == NO_VALUE) {
                state.misses.increment();
                missing.add(key);
                continue;
            }
            found.put(key, value);
            inheritTags(entry);
            if (now < entry.freshUntil()) {
                state.hits.increment();
            } else {
                state.staleHits.increment();
                refreshInBackground(key, type, options, () -> loader.load(Set.of(key)).get(key),
                        state, entry);
            }
        }
        if (!missing.isEmpty()) {
            found.putAll(loadMissing(missing, type, options, loader, callStart));
        }
        Map<Key, T> result = new LinkedHashMap<>();
        for (Key key : keys) {
            if (found.containsKey(key)) {
                result.put(key, (T) found.get(key));
            }
        }
        return result;
    }

    private Map<Key, Object> loadMissing(Set<Key> missing, Type type, Options options,
            BulkLoader<?> loader, long callStart) {
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
        Map<Key, Object> result = new LinkedHashMap<>();
        try {
            if (!mine.isEmpty()) {
                result.putAll(bulkLoad(mine, type, options, loader));
            }
        } finally {
            mine.forEach(flights::remove);
        }
        theirs.forEach((key, flight) -> {
            Object value = flight.await(key);
            RegionState state = state(key.region());
            if (value == Flight.WOULD_DEADLOCK) {
                value = bulkLoad(Map.of(key, new Flight(Thread.currentThread())), type, options,
                        loader).getOrDefault(key, NO_VALUE);
            } else if (value != NO_VALUE && !joinable(flight, callStart, state)) {
                Map<Key, Object> again = loadMissing(Set.of(key), type, options, loader, callStart);
                value = again.containsKey(key) ? again.get(key) : NO_VALUE;
            }
            if (value != NO_VALUE) {
                result.put(key, value);
            }
        });
        return result;
    }

    private Map<Key, Object> bulkLoad(Map<Key, Flight> mine, Type type, Options options,
            BulkLoader<?> loader) {
        Map<String, long[]> before = new LinkedHashMap<>();
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (Key key : mine.keySet()) {
            String region = key.region();
            if (!declared.containsKey(region)) {
                RegionState state = state(region);
                declared.put(region, state.declaredTags(options));
                before.put(region, generations(withAny(declared.get(region)), state));
            }
        }
        mine.forEach((key, flight) -> {
            long[] generations = before.get(key.region());
            if (generations != null) {
                List<String> tags = declared.get(key.region());
                flight.stamp(tags, Arrays.copyOf(generations, tags.size()));
            }
        });
        RegionState first = state(mine.keySet().iterator().next().region());
        Loaded loaded;
        try {
            loaded = runLoader(() -> loader.load(mine.keySet()), first);
        } catch (Throwable t) {
            mine.values().forEach(flight -> flight.fail(t));
            throw Flight.rethrow(mine.keySet().iterator().next(), t);
        }
        Map<?, ?> values = loaded.value == null ? Map.of() : (Map<?, ?>) loaded.value;
        long now = clock.millis();
        Map<Key, Object> result = new LinkedHashMap<>();
        mine.forEach((key, flight) -> {
            if (!values.containsKey(key)) {
                flight.complete(NO_VALUE);
                return;
            }
            Object value = values.get(key);
            RegionState state = state(key.region());
            Stamp stamp = stamp(declared.get(key.region()), before.get(key.region()), loaded.load,
                    state);
            if (stamp != null && !flight.invalidated()) {
                write(key, value, type, options, state, now, loaded.nanos, stamp);
            }
            if (stamp != null) {
                flight.stamp(stamp.tags, stamp.generations);
                CurrentLoad.inherit(stamp.tags, stamp.generations);
            }
            flight.complete(value);
            result.put(key, value);
        });
        return result;
    }

    // ---- writes and invalidation

    void put(Key key, Object value, Options options) {
        RegionState state = state(key.region());
        List<String> declared = state.declaredTags(options);
        long[] generations = generations(declared, state);
        if (generations != null) {
            write(key, value, Larder.typeOf(value), options, state, clock.millis(), 0,
                    new Stamp(declared, generations));
        }
    }

    void invalidate(Key key) {
        Flight flight = flights.get(key);
        if (flight != null) {
            flight.invalidate();
        }
        remove(key, state(key.region()));
        notify(new Invalidation(Invalidation.Kind.KEY, key.encode()));
    }

    void invalidateTags(List<String> tags) {
        try {
            // "@any" moves first: a load that reads a named tag's new generation then also sees
            // "@any" moved (stamp reads it last), so it never records a generation that is
            // already current for a value read before the invalidation.
            List<String> all = new ArrayList<>(tags.size() + 1);
            all.add(RegionState.ANY_TAG);
            all.addAll(tags);
            store.invalidateTags(all);
        } catch (RuntimeException e) {
            invalidationErrors.increment();
            errors.report("invalidate tags " + tags, e);
        }
        for (String tag : tags) {
            notify(new Invalidation(Invalidation.Kind.TAG, tag));
        }
    }

    void invalidateRegion(String region) {
        RegionState state = state(region);
        flights.forEach((key, flight) -> {
            if (key.region().equals(region)) {
                flight.invalidate();
            }
        });
        try {
            store.invalidateTags(List.of(RegionState.ANY_TAG, RegionState.regionTag(region)));
        } catch (RuntimeException e) {
            invalidationErrors.increment();
            storeFailed("invalidate region " + region, e, state);
        }
        try {
            store.removeRegion(region);
        } catch (RuntimeException e) {
            storeFailed("remove region " + region, e, state);
        }
        notify(new Invalidation(Invalidation.Kind.REGION, region));
    }

    private void remove(Key key, RegionState state) {
        try {
            store.remove(key);
        } catch (RuntimeException e) {
            storeFailed("remove " + key.region(), e, state);
        }
    }

    private void notify(Invalidation invalidation) {
        for (Consumer<Invalidation> listener : listeners) {
            try {
                listener.accept(invalidation);
            } catch (RuntimeException e) {
                errors.report("invalidation listener", e);
            }
        }
    }

    Store.Usage usage(String region) {
        try {
            return store.usage(region);
        } catch (RuntimeException e) {
            return Store.Usage.UNKNOWN;
        }
    }

    /** Stops renewing leases (the store is closed by its owner). */
    void close() {
        leaseKeeper.close();
    }

    private void storeFailed(String operation, Throwable e, RegionState state) {
        state.storeErrors.increment();
        errors.report(operation, e);
    }
}
