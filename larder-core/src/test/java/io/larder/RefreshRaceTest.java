package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import io.larder.testing.FakeClock;
import io.larder.testing.ForwardingStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A reader that read a stale entry just before a refresh replaced it, and asks for a refresh just
 * after that refresh ended, must not cause a second load for the same expiry.
 */
class RefreshRaceTest {
    /** A memory store that hands out one chosen (old) entry on the next read. */
    private static final class LateReaderStore extends ForwardingStore {
        private volatile StoredEntry servedOnce;

        LateReaderStore() {
            super(MemoryStore.builder().maximumSize(100).build());
        }

        @Override
        public StoredEntry get(Key key) {
            StoredEntry once = servedOnce;
            if (once != null) {
                servedOnce = null;
                return once;
            }
            return super.get(key);
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
            StoredEntry old = store.delegate().get(key);

            assertThat(larder.get(key, String.class, loader)).isEqualTo("v1"); // stale, refreshes
            assertThat(loads).hasValue(2);
            store.servedOnce = old; // a reader that read before that refresh stored v2
            assertThat(larder.get(key, String.class, loader)).isEqualTo("v1");

            assertThat(loads).as("loads for one expiry").hasValue(2);
            assertThat(larder.get(key, String.class, loader)).isEqualTo("v2");
        }
    }
}
