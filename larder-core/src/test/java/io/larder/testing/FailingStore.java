package io.larder.testing;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A store whose disk is gone: every call fails as a real broken store's does, and is counted. */
public final class FailingStore implements Store {
    private final AtomicInteger calls = new AtomicInteger();

    /** How many calls failed. */
    public int calls() {
        return calls.get();
    }

    private RuntimeException fail() {
        calls.incrementAndGet();
        return new UncheckedIOException(new IOException("No space left on device"));
    }

    @Override
    public StoredEntry get(Key key) {
        throw fail();
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        throw fail();
    }

    @Override
    public void remove(Key key) {
        throw fail();
    }

    @Override
    public void removeRegion(String region) {
        throw fail();
    }

    @Override
    public void clear() {
        throw fail();
    }

    @Override
    public long[] generations(List<String> tags) {
        throw fail();
    }

    @Override
    public void invalidateTags(Collection<String> tags) {
        throw fail();
    }
}
