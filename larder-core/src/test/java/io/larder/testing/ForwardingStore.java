package io.larder.testing;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A store that passes every call to another (a memory store by default): tests override the
 * one call they want to watch or step through.
 */
public class ForwardingStore implements Store {
    private final Store delegate;

    /** Forwards to a memory store of 10,000 entries. */
    public ForwardingStore() {
        this(MemoryStore.builder().maximumSize(10_000).build());
    }

    /** Forwards to {@code delegate}. */
    public ForwardingStore(Store delegate) {
        this.delegate = delegate;
    }

    /** The store calls go to. */
    public Store delegate() {
        return delegate;
    }

    @Override
    public void bind(StoreContext context) {
        delegate.bind(context);
    }

    @Override
    public StoredEntry get(Key key) {
        return delegate.get(key);
    }

    @Override
    public Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        return delegate.getAll(keys);
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        delegate.put(key, entry);
    }

    @Override
    public void remove(Key key) {
        delegate.remove(key);
    }

    @Override
    public void removeRegion(String region) {
        delegate.removeRegion(region);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public long[] generations(List<String> tags) {
        return delegate.generations(tags);
    }

    @Override
    public void invalidateTags(Collection<String> tags) {
        delegate.invalidateTags(tags);
    }

    @Override
    public Lease lease(Key key, Duration lease) {
        return delegate.lease(key, lease);
    }

    @Override
    public Usage usage(String region) {
        return delegate.usage(region);
    }

    @Override
    public void listen(Listener listener) {
        delegate.listen(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
