package io.larder.store;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Two stores as one: a near one (usually memory) in front of a far one (file or Redis). Reads go
 * through the near store and fill it from the far one; writes and removals go to both. The far
 * store is the authority for tag generations and for cross-process leases, so an entry in the
 * near store is checked against the far store's generations; changes that other processes report
 * through the far store drop the near copies. Markers are the far store's.
 */
public final class TieredStore implements Store {
    private final Store near;
    private final Store far;

    private TieredStore(Store near, Store far) {
        this.near = Objects.requireNonNull(near, "near");
        this.far = Objects.requireNonNull(far, "far");
    }

    /** {@code near} in front of {@code far}. */
    public static TieredStore of(Store near, Store far) {
        return new TieredStore(near, far);
    }

    @Override
    public void bind(StoreContext context) {
        near.bind(context);
        far.bind(context);
        far.listen(new Listener() {
            @Override
            public void changed(Key key) {
                near.remove(key);
            }

            @Override
            public void regionRemoved(String region) {
                near.removeRegion(region);
            }

            @Override
            public void lostTrack() {
                near.clear();
            }
        });
    }

    @Override
    public StoredEntry get(Key key) {
        StoredEntry entry = near.get(key);
        if (entry == null) {
            entry = far.get(key);
            if (entry != null) {
                near.put(key, entry);
            }
        }
        return entry;
    }

    /** Vouched for by the near store, which a read would return it from. */
    @Override
    public boolean holds(Key key, StoredEntry entry) {
        return near.holds(key, entry);
    }

    @Override
    public Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        Map<Key, StoredEntry> found = new LinkedHashMap<>(near.getAll(keys));
        List<Key> rest = new ArrayList<>();
        for (Key key : keys) {
            if (!found.containsKey(key)) {
                rest.add(key);
            }
        }
        if (!rest.isEmpty()) {
            far.getAll(rest).forEach((key, entry) -> {
                near.put(key, entry);
                found.put(key, entry);
            });
        }
        return found;
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        near.put(key, entry);
        far.put(key, entry);
    }

    @Override
    public void remove(Key key) {
        try {
            far.remove(key);
        } finally {
            near.remove(key);
        }
    }

    @Override
    public void removeRegion(String region) {
        try {
            far.removeRegion(region);
        } finally {
            near.removeRegion(region);
        }
    }

    /** Bounds the region in the near tier, where memory is spent; the far tier's are global. */
    @Override
    public boolean boundRegion(String region, long maximumEntries, long maximumBytes) {
        return near.boundRegion(region, maximumEntries, maximumBytes);
    }

    @Override
    public void clear() {
        try {
            far.clear();
        } finally {
            near.clear();
        }
    }

    @Override
    public long[] generations(List<String> tags) {
        return far.generations(tags);
    }

    @Override
    public boolean current(StoredEntry entry) {
        return far.current(entry);
    }

    @Override
    public void invalidateTags(Collection<String> tags) {
        far.invalidateTags(tags);
    }

    /** Invalidates every entry of the far store, and drops the near copies. */
    @Override
    public void invalidateAll() {
        try {
            far.invalidateAll();
        } finally {
            near.clear();
        }
    }

    @Override
    public OptionalLong marker(String name) {
        return far.marker(name);
    }

    @Override
    public void marker(String name, long value) {
        far.marker(name, value);
    }

    @Override
    public Lease lease(Key key, Duration lease) {
        return far.lease(key, lease);
    }

    @Override
    public Usage usage(String region) {
        return far.usage(region);
    }

    @Override
    public void listen(Listener listener) {
        far.listen(listener);
    }

    /** The near store. */
    public Store near() {
        return near;
    }

    /** The far store. */
    public Store far() {
        return far;
    }

    @Override
    public void close() {
        try {
            near.close();
        } finally {
            far.close();
        }
    }
}
