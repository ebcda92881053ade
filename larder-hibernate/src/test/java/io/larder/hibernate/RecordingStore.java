package io.larder.hibernate;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A memory store that records each call of {@link #invalidateTags} (without Larder's own tags). */
final class RecordingStore implements Store {
    private final MemoryStore memory = MemoryStore.builder().maximumSize(10_000).build();
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    volatile Runnable onInvalidate = () -> { };

    @Override
    public StoredEntry get(Key key) {
        return memory.get(key);
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        memory.put(key, entry);
    }

    @Override
    public void remove(Key key) {
        memory.remove(key);
    }

    @Override
    public void removeRegion(String region) {
        memory.removeRegion(region);
    }

    @Override
    public long[] generations(List<String> tags) {
        return memory.generations(tags);
    }

    @Override
    public void invalidateTags(Collection<String> tags) {
        List<String> named = new ArrayList<>();
        for (String tag : tags) {
            if (!tag.startsWith("@")) {
                named.add(tag);
            }
        }
        onInvalidate.run();
        calls.add(named);
        memory.invalidateTags(tags);
    }
}
