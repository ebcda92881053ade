package io.larder.spi;

import io.larder.Key;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where entries live: memory, files, Redis, or tiers of them. One small contract, the same for
 * every store, proven by one contract test. Implementations are thread-safe. Any method may
 * throw an unchecked exception on an I/O failure; the {@code Larder} turns it into a miss, counts
 * it and logs it once per burst, so a store need not hide its errors.
 */
public interface Store extends AutoCloseable {

    /** Called once by the {@code Larder} that uses this store, before any other call. */
    default void bind(StoreContext context) {
    }

    /**
     * The entry stored under {@code key}, or {@code null} if there is none. A store that finds a
     * damaged or unauthentic entry removes it and returns {@code null}. Expiry and tag
     * generations are checked by the caller.
     */
    StoredEntry get(Key key);

    /**
     * Whether {@code entry}, which {@link #get} returned for {@code key}, is still the entry
     * stored under it, so that a caller that kept it may serve it again without reading the key
     * again (expiry and tag generations are still the caller's to check). A store answers
     * {@code true} only where it knows it as surely as a read would: nothing in this process
     * replaced or removed the entry since it was read (a memory store retires what it lets go),
     * and, where other processes can write, what the entry was read from is provably unchanged
     * (the file store's memo: the same file, by an identity that every write moves, checked with
     * one {@code stat}); a store that cannot tell without a read (Redis) answers {@code false}.
     * It must cost far less than a read and never wait on another process. The default,
     * {@code false}, makes the caller read the key again.
     */
    default boolean holds(Key key, StoredEntry entry) {
        return false;
    }

    /** The entries of several keys at once; absent keys are left out. Stores may pipeline. */
    default Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        Map<Key, StoredEntry> found = new LinkedHashMap<>();
        for (Key key : keys) {
            StoredEntry entry = get(key);
            if (entry != null) {
                found.put(key, entry);
            }
        }
        return found;
    }

    /**
     * Stores {@code entry} under {@code key}, replacing any other; readers see the old or the new.
     */
    void put(Key key, StoredEntry entry);

    /** Removes the entry of {@code key}, if any. */
    void remove(Key key);

    /** Removes every entry of {@code region} (entries written later are kept). */
    void removeRegion(String region);

    /**
     * Removes every entry of every region; tag generations, leases and the store itself stay,
     * so it can be used at once (a tier drops its copies this way when it loses track).
     */
    void clear();

    /**
     * The current generation of each tag, in the order given: a value that only an invalidation
     * moves (a store that can lose its counters starts them at a random value, so that a lost
     * counter never comes back to one it had). Called on every read of a tagged entry: it must
     * be cheap.
     */
    long[] generations(List<String> tags);

    /**
     * Whether no tag {@code entry} was written under has moved since: the check of every read
     * of a tagged entry. The default compares with {@link #generations}; a store that can
     * answer without making an array does (the memory store: a hit then allocates nothing).
     */
    default boolean current(StoredEntry entry) {
        return entry.matches(generations(entry.tags()));
    }

    /**
     * Increments the generation of each tag, so that every entry written under it is a miss;
     * tags are incremented in the order given (the engine relies on it).
     */
    void invalidateTags(Collection<String> tags);

    /**
     * Asks to be the one that loads {@code key} among processes sharing this store (cross-process
     * single-flight). The default grants every request: processes do not coordinate.
     *
     * @param lease how long the grant holds unless renewed ({@link Lease#renew}): how long a
     *     holder that dies without releasing it blocks the others
     */
    default Lease lease(Key key, Duration lease) {
        return Lease.GRANTED;
    }

    /**
     * Keeps at most {@code maximumEntries} entries (or {@code maximumBytes} of encoded values)
     * of {@code region}, beside the store's own bound: a busy region then evicts its own entries,
     * not the others'. {@code 0} removes the region's bound. Set by the engine when a region with
     * a bound is configured.
     *
     * @return whether the store bounds the region; {@code false} (the default) where its bounds
     *     are global only (files, Redis)
     */
    default boolean boundRegion(String region, long maximumEntries, long maximumBytes) {
        return false;
    }

    /**
     * What the store holds for {@code region}; {@link Usage#UNKNOWN} where it cannot tell cheaply.
     */
    default Usage usage(String region) {
        return Usage.UNKNOWN;
    }

    /**
     * Makes every entry a miss at once, as if every tag had been invalidated, in every process
     * that shares the store: for a store that may have missed invalidations (for example one
     * whose position in an invalidation log was lost). Entries may stay until evicted or swept.
     *
     * @throws UnsupportedOperationException if the store cannot (the default)
     */
    default void invalidateAll() {
        throw new UnsupportedOperationException(getClass().getName()
                + " cannot invalidate every entry");
    }

    /**
     * The number kept under {@code name} by {@link #marker(String, long)}, or empty if there is
     * none: integrations keep their state about the store in it, for example how far an
     * invalidation log has been applied to it. A marker lives as long as the tag generations: a
     * store that loses them (a flushed Redis) loses its markers too.
     *
     * @throws IllegalArgumentException if the name is not 1-64 of {@code [A-Za-z0-9._-]}
     * @throws UnsupportedOperationException if the store keeps no markers (the default)
     */
    default OptionalLong marker(String name) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no markers");
    }

    /**
     * Keeps {@code value} under {@code name} for every process that shares the store (the last
     * write wins).
     *
     * @throws IllegalArgumentException if the name is not 1-64 of {@code [A-Za-z0-9._-]}
     * @throws UnsupportedOperationException if the store keeps no markers (the default)
     */
    default void marker(String name, long value) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no markers");
    }

    /**
     * Checks a marker's name for {@link #marker(String)}: 1-64 of {@code [A-Za-z0-9._-]}.
     *
     * @return the name
     */
    static String checkMarker(String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || !name.chars().allMatch(
                c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_'
                        || c == '-'))) {
            throw new IllegalArgumentException(
                    "a marker name is 1-64 of [A-Za-z0-9._-], was '" + name + "'");
        }
        return name;
    }

    /**
     * Registers for changes made by other processes (keys written or removed, regions removed),
     * so that a near cache in front of this store can drop its copies. The default never calls.
     */
    default void listen(Listener listener) {
    }

    /** Releases files, connections and threads; the store is not used again. */
    @Override
    default void close() {
    }

    /** A grant to load one key; close it after the value is stored (or the load failed). */
    interface Lease extends AutoCloseable {
        /** A grant that coordinates nothing. */
        Lease GRANTED = new Lease() {
            @Override
            public boolean granted() {
                return true;
            }

            @Override
            public void close() {
            }
        };

        /** Whether this caller should load; if not, another process is loading the key. */
        boolean granted();

        /**
         * Extends a held grant to {@code lease} from now, while its holder is still loading (the
         * engine renews every third of a lease). A store whose grants end with their holder's
         * process needs nothing; the default does nothing.
         *
         * @return whether this caller still held the grant
         */
        default boolean renew(Duration lease) {
            return granted();
        }

        /** Releases the grant. */
        @Override
        void close();
    }

    /**
     * A store's contents for one region.
     *
     * @param entries entries, or -1 if unknown
     * @param bytes bytes, or -1 if unknown
     * @param evictions entries dropped to stay within bounds, since start
     */
    record Usage(long entries, long bytes, long evictions) {
        /** Nothing known. */
        public static final Usage UNKNOWN = new Usage(-1, -1, 0);
    }

    /** Changes that other processes made to a shared store. */
    interface Listener {
        /** The entry of {@code key} was written or removed elsewhere. */
        void changed(Key key);

        /** Every entry of {@code region} was removed elsewhere. */
        void regionRemoved(String region);

        /** Changes may have been missed (for example after a disconnection): drop every copy. */
        void lostTrack();

        /**
         * The store answers again after an outage in which changes may have been missed. Called
         * on a background thread before the store serves entries again (it serves none until
         * every listener returned), so that a listener can first apply what the store missed,
         * for example invalidations recorded elsewhere. The default does nothing.
         */
        default void reconnected() {
        }
    }

}
