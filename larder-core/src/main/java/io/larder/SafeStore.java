package io.larder;

import io.larder.spi.ErrorLog;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * The one place where a store's failure becomes a miss: every call the engine makes to the store
 * goes through here, and a failure is counted on its region, logged once per burst, and answered
 * with what a miss would be (no entry, no generations, a skipped write, a lease granted).
 */
final class SafeStore {
    final Store store;
    private final Regions regions;
    /** Invalidations the store failed to apply (their entries may be served until they expire). */
    final LongAdder invalidationErrors = new LongAdder();
    private final ErrorLog errors = new ErrorLog(LoggerFactory.getLogger(Larder.class), 60);

    SafeStore(Store store, Regions regions) {
        this.store = store;
        this.regions = regions;
    }

    /** The entry of {@code key}, or {@code null} if there is none or the store failed. */
    StoredEntry get(Key key) {
        try {
            return store.get(key);
        } catch (RuntimeException e) {
            failed("get " + key.region(), e, key.region());
            return null;
        }
    }

    /** Whether the store vouches that {@code entry} is still the one of {@code key}. */
    boolean holds(Key key, StoredEntry entry) {
        try {
            return store.holds(key, entry);
        } catch (RuntimeException e) {
            failed("get " + key.region(), e, key.region());
            return false;
        }
    }

    /** The entries of {@code keys} found; none if the store failed. */
    Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        try {
            return store.getAll(keys);
        } catch (RuntimeException e) {
            failed("get many of " + keys.iterator().next().region(), e,
                    keys.iterator().next().region());
            return Map.of();
        }
    }

    /** Stores {@code entry}; a failure skips the write. */
    void put(Key key, StoredEntry entry) {
        try {
            store.put(key, entry);
        } catch (RuntimeException e) {
            failed("put " + key.region(), e, key.region());
        }
    }

    void remove(Key key) {
        try {
            store.remove(key);
        } catch (RuntimeException e) {
            failed("remove " + key.region(), e, key.region());
        }
    }

    void removeRegion(String region) {
        try {
            store.removeRegion(region);
        } catch (RuntimeException e) {
            failed("remove region " + region, e, region);
        }
    }

    /** The generations of {@code tags}, or {@code null} if the store failed to tell them. */
    long[] generations(List<String> tags, String region) {
        try {
            return store.generations(tags);
        } catch (RuntimeException e) {
            failed("read tag generations", e, region);
            return null;
        }
    }

    /**
     * Whether no tag {@code entry} was written under has moved since; {@code false} (a miss) if
     * the store failed to tell.
     */
    boolean current(StoredEntry entry, String region) {
        try {
            return store.current(entry);
        } catch (RuntimeException e) {
            failed("read tag generations", e, region);
            return false;
        }
    }

    /** Moves the generations of {@code tags}; a failure is counted as a lost invalidation. */
    void invalidateTags(List<String> tags, String what) {
        try {
            store.invalidateTags(tags);
        } catch (RuntimeException e) {
            invalidationErrors.increment();
            errors.report("invalidate " + what, "its entries may be served until they expire", e);
        }
    }

    /** The store's lease on {@code key}; granted if the store failed (this process loads). */
    Store.Lease lease(Key key, Duration lease) {
        try {
            return store.lease(key, lease);
        } catch (RuntimeException e) {
            failed("lease " + key.region(), e, key.region());
            return Store.Lease.GRANTED;
        }
    }

    /**
     * Gives {@code region} its bound in the store (or removes it); a store that cannot bound a
     * region, or fails to, leaves it under its global bound, said once in the log.
     */
    void boundRegion(Region region) {
        long entries = region.maximumEntries().orElse(0);
        long bytes = region.maximumBytes().orElse(0);
        try {
            if (!store.boundRegion(region.name(), entries, bytes) && entries + bytes > 0) {
                LoggerFactory.getLogger(Larder.class).warn("Region {} has a bound of its own,"
                        + " but {} bounds regions only as a whole (files and Redis do; a tiered"
                        + " store bounds them in its memory tier): it shares the store's bound",
                        region.name(), store.getClass().getSimpleName());
            }
        } catch (RuntimeException e) {
            failed("bound region " + region.name(), e, region.name());
        }
    }

    Store.Usage usage(String region) {
        try {
            return store.usage(region);
        } catch (RuntimeException e) {
            return Store.Usage.UNKNOWN;
        }
    }

    /** Counts a failure of the store on {@code region} and logs it once per burst. */
    void failed(String operation, Throwable e, String region) {
        regions.state(region).storeErrors.increment();
        errors.report(operation, e);
    }

    /** Logs a failure that is not the store's (a refresh, a listener) once per burst. */
    void report(String operation, String consequence, Throwable e) {
        errors.report(operation, consequence, e);
    }
}
