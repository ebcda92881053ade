package io.larder;

import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads entries for the engine: an entry counts only while it is usable, written under the
 * current generation of every tag it carries, and decodable as the caller's type; anything else
 * is a miss (an undecodable entry is also removed).
 */
final class EntryReader {
    /** A usable entry and its decoded value ({@code null} for a recorded absence). */
    record Found(Object value, StoredEntry entry, boolean fresh) {
        /** Whether the entry records that a bulk loader did not return the key. */
        boolean absent() {
            return isAbsence(entry);
        }
    }

    private final SafeStore store;
    private final InstantSource clock;

    EntryReader(SafeStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The usable (fresh or stale) value of {@code key}, or {@code null}. */
    Found read(Key key, Type type, RegionState state) {
        return usable(key, store.get(key), type, state, false);
    }

    /** The fresh value of {@code key}, or {@code null}. */
    Found readFresh(Key key, Type type, RegionState state) {
        return usable(key, store.get(key), type, state, true);
    }

    /**
     * The usable values of {@code keys} found, read from the store in one call; recorded
     * absences are found too ({@link Found#absent()}).
     */
    Map<Key, Found> readAll(Collection<Key> keys, Type type, Regions regions, boolean fresh) {
        Map<Key, Found> found = new LinkedHashMap<>();
        store.getAll(keys).forEach((key, entry) -> {
            Found f = usable(key, entry, type, regions.state(key.region()), fresh, true);
            if (f != null) {
                found.put(key, f);
            }
        });
        return found;
    }

    private Found usable(Key key, StoredEntry entry, Type type, RegionState state,
            boolean freshOnly) {
        return usable(key, entry, type, state, freshOnly, false);
    }

    private Found usable(Key key, StoredEntry entry, Type type, RegionState state,
            boolean freshOnly, boolean absenceCounts) {
        if (entry == null) {
            return null;
        }
        long now = clock.millis();
        boolean fresh = now < entry.freshUntil();
        if (!(fresh || (!freshOnly && now < entry.usableUntil())) || !current(entry, key)) {
            return null;
        }
        if (isAbsence(entry)) {
            // Known absent to bulk reads; a single get loads the key for itself.
            return absenceCounts ? new Found(null, entry, fresh) : null;
        }
        try {
            return new Found(entry.payload().value(type, state.region.codec()), entry, fresh);
        } catch (IOException | RuntimeException e) {
            // Written by another version of the value's class, or damaged: a miss, and gone.
            store.failed("decode " + key.region() + " as " + type.getTypeName(), e, key.region());
            store.remove(key);
            return null;
        }
    }

    static boolean isAbsence(StoredEntry entry) {
        return !entry.untagged() && entry.tags().get(0).equals(RegionState.ABSENT_TAG);
    }

    /** Whether no tag {@code entry} was written under has moved since. */
    private boolean current(StoredEntry entry, Key key) {
        if (entry.untagged()) {
            return true;
        }
        long[] generations = store.generations(entry.tags(), key.region());
        return generations != null && entry.matches(generations);
    }
}
