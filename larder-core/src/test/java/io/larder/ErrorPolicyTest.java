package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {
    /** A store whose disk is gone: every call fails, as a real broken store does. */
    static final class BrokenStore implements Store {
        final AtomicInteger calls = new AtomicInteger();

        private RuntimeException fail() {
            calls.incrementAndGet();
            return new UncheckedIOException(new java.io.IOException("No space left on device"));
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
        public long[] generations(List<String> tags) {
            throw fail();
        }

        @Override
        public void invalidateTags(Collection<String> tags) {
            throw fail();
        }
    }

    @Test
    void brokenStore_everyCallBehavesAsAMissAndIsCounted() {
        BrokenStore store = new BrokenStore();
        Larder larder = Larder.builder().store(store).build();
        AtomicInteger loads = new AtomicInteger();

        for (int i = 0; i < 100; i++) {
            assertThat(larder.get(Key.of("posts", 1), String.class, () -> "from the database " + loads.incrementAndGet()))
                    .startsWith("from the database");
        }
        larder.put(Key.of("posts", 2), "x");
        larder.invalidate(Key.of("posts", 2));
        larder.invalidateTag("posts");
        larder.invalidateRegion("posts");

        assertThat(loads).hasValue(100);
        assertThat(larder.stats().get("posts").storeErrors()).isGreaterThanOrEqualTo(100);
        assertThat(larder.stats().get("posts").misses()).isEqualTo(100);
    }

    @Test
    void valueThatCannotBeEncoded_isReturnedButNotCached() {
        Larder larder = Larder.builder()
                .store(io.larder.store.MemoryStore.builder().maximumBytes(1 << 20).build()).build();
        Object unencodable = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this; // Jackson refuses the cycle
            }
        };

        Object value = larder.get(Key.of("weird", 1), Object.class, () -> unencodable);

        assertThat(value).isSameAs(unencodable);
        assertThat(larder.stats().get("weird").storeErrors()).isEqualTo(1);
    }
}
