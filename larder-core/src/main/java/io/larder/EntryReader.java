package io.larder;

import io.larder.spi.Codec;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads entries for the engine: an entry counts only while it is usable, written under the
 * current generation of every tag it carries, and decodable as the caller's type; anything else
 * is a miss (an undecodable entry is also removed). A single get reads in two steps,
 * {@link #entry} then {@link #decode}, so that a hit allocates nothing here.
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

    /**
     * The entry of {@code key} if it is usable at {@code now} (fresh, or stale unless
     * {@code freshOnly}) and current, and not a recorded absence; else {@code null}.
     */
    StoredEntry entry(Key key, long now, boolean freshOnly) {
        StoredEntry entry = store.get(key);
        return entry != null && usable(key, entry, now, freshOnly) && !isAbsence(entry)
                ? entry : null;
    }

    /**
     * Whether {@code entry}, which {@link #entry} returned for {@code key}, may be served again
     * without reading the key again: the store vouches that it is still the entry of the key, and
     * it is still usable and current. An entry usable forever needs no clock read (a read costs
     * some 30 ns on some machines, a third of a hit).
     */
    boolean still(Key key, StoredEntry entry) {
        return store.holds(key, entry) && (entry.usableUntil() == Long.MAX_VALUE
                ? current(entry, key) : usable(key, entry, clock.millis(), false));
    }

    /**
     * Whether {@code entry}, which {@link #entry} returned for {@code key}, may be served again as
     * a fresh hit at {@code now} without reading the key: the store vouches for it, it is fresh
     * and current. Reads no entry (the file store's vouching is one {@code stat}).
     */
    boolean freshAgain(Key key, StoredEntry entry, long now) {
        return now < entry.freshUntil() && store.holds(key, entry) && current(entry, key);
    }

    /**
     * The value of {@code entry} as {@code type}, or {@link Flight#NO_VALUE} when it does not
     * decode as that type (the entry is then removed: a value of another type or shape).
     */
    Object decode(Key key, StoredEntry entry, Type type, RegionState state) {
        return decode(key, entry, type, () -> state.region.codec());
    }

    /** As {@link #decode(Key, StoredEntry, Type, RegionState)}, the region looked up if need be. */
    Object decode(Key key, StoredEntry entry, Type type, Regions regions) {
        return decode(key, entry, type, () -> regions.state(key.region()).region.codec());
    }

    private Object decode(Key key, StoredEntry entry, Type type, Supplier<Codec> codec) {
        try {
            return entry.payload().value(type, codec);
        } catch (IOException | RuntimeException e) {
            store.failed("decode " + key.region() + " as " + type.getTypeName(), e, key.region());
            store.remove(key);
            return Flight.NO_VALUE;
        }
    }

    /** The fresh value of {@code key}, or {@code null}. */
    Found readFresh(Key key, Type type, RegionState state) {
        long now = clock.millis();
        StoredEntry entry = entry(key, now, true);
        if (entry == null) {
            return null;
        }
        Object value = decode(key, entry, type, state);
        return value == Flight.NO_VALUE ? null : new Found(value, entry, true);
    }

    /**
     * The usable values of {@code keys} found, read from the store in one call; recorded
     * absences are found too ({@link Found#absent()}).
     */
    Map<Key, Found> readAll(Collection<Key> keys, Type type, Regions regions, boolean freshOnly) {
        long now = clock.millis();
        Map<Key, Found> found = new LinkedHashMap<>();
        store.getAll(keys).forEach((key, entry) -> {
            if (entry == null || !usable(key, entry, now, freshOnly)) {
                return;
            }
            boolean fresh = now < entry.freshUntil();
            if (isAbsence(entry)) {
                found.put(key, new Found(null, entry, fresh));
                return;
            }
            Object value = decode(key, entry, type, regions.state(key.region()));
            if (value != Flight.NO_VALUE) {
                found.put(key, new Found(value, entry, fresh));
            }
        });
        return found;
    }

    private boolean usable(Key key, StoredEntry entry, long now, boolean freshOnly) {
        boolean inTime = now < (freshOnly ? entry.freshUntil() : entry.usableUntil());
        return inTime && current(entry, key);
    }

    static boolean isAbsence(StoredEntry entry) {
        return !entry.untagged() && entry.tags().get(0).equals(RegionState.ABSENT_TAG);
    }

    /** Whether no tag {@code entry} was written under has moved since. */
    private boolean current(StoredEntry entry, Key key) {
        if (entry.untagged()) {
            return true;
        }
        return store.current(entry, key.region());
    }
}
