package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A reader that read a stale entry just before a refresh replaced it, and asks for a refresh just
 * after that refresh ended, must not cause a second load for the same expiry.
 */
class RefreshRaceTest {
    /** A memory store that hands out one chosen (old) entry on the next read. */
    private static final class LateReaderStore implements Store {
        private final MemoryStore delegate = MemoryStore.builder().maximumSize(100).build();
        private volatile StoredEntry servedOnce;

        @Override
        public void bind(StoreContext context) {
            delegate.bind(context);
        }

        @Override
        public StoredEntry get(Key key) {
            StoredEntry once = servedOnce;
            if (once != null) {
                servedOnce = null;
                return once;
            }
            return delegate.get(key);
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
        public long[] generations(List<String> tags) {
            return delegate.generations(tags);
        }

        @Override
        public void invalidateTags(Collection<String> tags) {
            delegate.invalidateTags(tags);
        }
    }

    @Test
    void staleReadOfAnEntryARefreshAlreadyReplaced_doesNotLoadAgain() {
        FakeClock clock = new FakeClock();
        LateReaderStore store = new LateReaderStore();
        try (Larder larder = Larder.builder().store(store).clock(clock)
                .refreshExecutor(Runnable::run)
                .ttl(Duration.ofSeconds(10)).staleFor(Duration.ofHours(1)).build()) {
            Key key = Key.of("pages", "/");
            AtomicInteger loads = new AtomicInteger();
            Loader<String> loader = () -> "v" + loads.incrementAndGet();
            assertThat(larder.get(key, String.class, loader)).isEqualTo("v1");
            clock.advance(Duration.ofSeconds(11));
            StoredEntry old = store.delegate.get(key);

            assertThat(larder.get(key, String.class, loader)).isEqualTo("v1"); // stale, refreshes
            assertThat(loads).hasValue(2);
            store.servedOnce = old; // a reader that read before that refresh stored v2
            assertThat(larder.get(key, String.class, loader)).isEqualTo("v1");

            assertThat(loads).as("loads for one expiry").hasValue(2);
            assertThat(larder.get(key, String.class, loader)).isEqualTo("v2");
        }
    }
}
