package io.larder;

import io.larder.spi.Codec;
import io.larder.spi.Payload;
import io.larder.spi.StoredEntry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The engine's one write path: runs a loader for keys whose flights this thread holds, stamps
 * each value with the tags and generations it was computed under, and stores it unless an
 * invalidation overtook it. Single gets, bulk gets, refreshes and puts all write through here.
 */
final class Loads {
    /**
     * What a load gave for one key: its value, whether it may be shared with waiting callers,
     * and whether this caller's loader computed it or another's.
     */
    record Result(Object value, boolean kept, Outcome outcome) { }

    private record Stamp(List<String> tags, long[] generations) { }

    private record Run(Map<Key, Loaded<?>> values, long nanos, CurrentLoad load) { }

    /**
     * A region's declared tags and their generations (then the region's "any" tag) read before
     * a load; {@code before} is {@code null} when the store cannot tell generations.
     */
    private record Declared(List<String> tags, long[] before) { }

    /**
     * The {@link Declared} tags of each region a load touches, read once per region: one
     * region without a map (a single get, most bulk gets), others in one made when needed.
     */
    private final class Declarations {
        private final Options options;
        private String firstRegion;
        private Declared first;
        private Map<String, Declared> others;

        Declarations(Options options) {
            this.options = options;
        }

        Declared of(String region) {
            if (first == null) {
                firstRegion = region;
                first = read(region);
            }
            if (region.equals(firstRegion)) {
                return first;
            }
            if (others == null) {
                others = new HashMap<>();
            }
            return others.computeIfAbsent(region, this::read);
        }

        private Declared read(String region) {
            List<String> tags = regions.state(region).declaredTags(options);
            return new Declared(tags, store.generations(withAny(tags), region));
        }
    }

    private final SafeStore store;
    private final Regions regions;
    private final InstantSource clock;

    Loads(SafeStore store, Regions regions, InstantSource clock) {
        this.store = store;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Runs {@code call}'s loader once for the keys of {@code mine} and stores what it gives.
     * A value is not stored when the loader says so, when the store cannot tell generations, or
     * when its key was invalidated during the load; one invalidated after it was stored is
     * removed again. Flights are stamped, not completed: their owner completes them.
     *
     * @return the result of each key the loader gave, in the loader's order
     */
    Map<Key, Result> run(Map<Key, Flight> mine, Call call, boolean refresh) throws Exception {
        Map<Key, Result> results = new LinkedHashMap<>();
        load(mine, call, refresh, results::put);
        return results;
    }

    /**
     * {@link #run} for one key, without a map of results.
     *
     * @return its result, or {@code null} when the loader skipped it
     */
    Result runOne(Key key, Flight flight, Call call, boolean refresh) throws Exception {
        Result[] result = new Result[1];
        load(Map.of(key, flight), call, refresh, (loaded, value) -> result[0] = value);
        return result[0];
    }

    private void load(Map<Key, Flight> mine, Call call, boolean refresh,
            BiConsumer<Key, Result> results) throws Exception {
        Declarations declarations = new Declarations(call.options());
        mine.forEach((key, flight) -> {
            Declared declared = declarations.of(key.region());
            if (declared.before != null) {
                flight.stamp(declared.tags,
                        Arrays.copyOf(declared.before, declared.tags.size()));
            }
        });
        RegionState first = regions.state(mine.keySet().iterator().next().region());
        Run run = runLoader(call.batch(), mine.keySet(), refresh, first);
        long now = clock.millis();
        run.values.forEach((key, loaded) -> {
            Flight flight = mine.get(key);
            if (flight == null) {
                return; // a key nobody asked for
            }
            Stamp stamp = stamp(declarations.of(key.region()), run.load, key.region());
            if (loaded.kept() && stamp != null) {
                writeUnlessOvertaken(key, flight, call.options(), now, run.nanos, stamp,
                        Payload.ofValue(loaded.value(), call.type(), codec(key)));
            }
            if (stamp != null) {
                flight.stamp(stamp.tags, stamp.generations);
                CurrentLoad.inherit(stamp.tags, stamp.generations);
            }
            results.accept(key, new Result(loaded.value(), loaded.kept(), Outcome.LOADED));
        });
        if (call.recordsAbsence()) {
            mine.forEach((key, flight) -> {
                if (!run.values.containsKey(key)) {
                    recordAbsence(key, flight, call, now, run,
                            stamp(declarations.of(key.region()), run.load, key.region()));
                }
            });
        }
    }

    /** Records that the loader did not return {@code key}, so bulk reads skip it for a TTL. */
    private void recordAbsence(Key key, Flight flight, Call call, long now, Run run,
            Stamp stamp) {
        long[] absent = store.generations(List.of(RegionState.ABSENT_TAG), key.region());
        if (stamp == null || absent == null) {
            return;
        }
        List<String> tags = new ArrayList<>(stamp.tags.size() + 1);
        tags.add(RegionState.ABSENT_TAG);
        tags.addAll(stamp.tags);
        long[] generations = new long[tags.size()];
        generations[0] = absent[0];
        System.arraycopy(stamp.generations, 0, generations, 1, stamp.generations.length);
        writeUnlessOvertaken(key, flight, call.options(), now, run.nanos,
                new Stamp(tags, generations), Payload.ofBytes(new byte[0]));
    }

    /**
     * Stores a loaded payload unless its key was invalidated during the load, and removes it
     * again if an invalidation arrived while it was written.
     */
    private void writeUnlessOvertaken(Key key, Flight flight, Options options, long now,
            long nanos, Stamp stamp, Payload payload) {
        if (flight.invalidated()) {
            return;
        }
        write(key, regions.state(key.region()).region, payload, options, now, nanos, stamp);
        if (flight.invalidated()) {
            store.remove(key);
        }
    }

    private Codec codec(Key key) {
        return regions.state(key.region()).region.codec();
    }

    /** Stores {@code value} under the current generations of its declared tags. */
    void put(Key key, Object value, Options options) {
        RegionState state = regions.state(key.region());
        List<String> declared = state.declaredTags(options);
        long[] generations = store.generations(declared, key.region());
        if (generations != null) {
            Region region = state.region;
            write(key, region, Payload.ofValue(value, Larder.typeOf(value), region.codec()),
                    options, clock.millis(), 0, new Stamp(declared, generations));
        }
    }

    private Run runLoader(Call.Batch batch, Set<Key> keys, boolean refresh, RegionState state)
            throws Exception {
        CurrentLoad load = CurrentLoad.enter();
        long start = System.nanoTime();
        long startMillis = clock.millis();
        try {
            Map<Key, Loaded<?>> values = batch.load(Collections.unmodifiableSet(keys), refresh);
            long nanos = System.nanoTime() - start;
            state.loads.increment();
            state.loadNanos.add(nanos);
            // Early refresh weighs the load's cost on the cache's clock (the one expiry uses).
            long clockNanos = TimeUnit.MILLISECONDS.toNanos(clock.millis() - startMillis);
            return new Run(values, Math.max(nanos, clockNanos), load);
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
    private Stamp stamp(Declared declared, CurrentLoad load, String region) {
        long[] before = declared.before;
        if (before == null) {
            return null;
        }
        if (load.inherited().isEmpty() && load.named().isEmpty()) {
            return new Stamp(declared.tags, Arrays.copyOf(before, declared.tags.size()));
        }
        Map<String, Long> tags = new LinkedHashMap<>();
        for (int i = 0; i < declared.tags.size(); i++) {
            tags.put(declared.tags.get(i), before[i]);
        }
        load.inherited().forEach((tag, generation) -> tags.merge(tag, generation, Math::min));
        Set<String> named = new LinkedHashSet<>(load.named());
        named.removeAll(tags.keySet());
        if (!named.isEmpty()) {
            List<String> namedTags = new ArrayList<>(named);
            long[] now = store.generations(withAny(namedTags), region);
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

    private void write(Key key, Region region, Payload payload, Options options, long now,
            long computeNanos, Stamp stamp) {
        long ttl = (options.ttl() != null ? options.ttl() : region.ttl()).toMillis();
        long stale = (options.staleFor() != null ? options.staleFor() : region.staleFor())
                .toMillis();
        StoredEntry entry = new StoredEntry(payload, now, saturatedAdd(now, ttl),
                saturatedAdd(now, ttl + stale), computeNanos, stamp.tags, stamp.generations);
        store.put(key, entry);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
