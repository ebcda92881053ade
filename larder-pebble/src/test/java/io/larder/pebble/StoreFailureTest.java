package io.larder.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreFailureTest {
    /** A store whose disk is gone: every call fails, as a real broken store does. */
    static final class BrokenStore implements Store {
        final AtomicInteger calls = new AtomicInteger();

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
        public long[] generations(List<String> tags) {
            throw fail();
        }

        @Override
        public void invalidateTags(Collection<String> tags) {
            throw fail();
        }
    }

    @Test
    void storeThatFailsEveryCall_pageStillRendersEveryBlockUncached() {
        BrokenStore store = new BrokenStore();
        Larder larder = Larder.builder().store(store).build();
        Pages pages = new Pages(larder);
        Map<String, Object> home = Map.of("lang", "de", "page", 1, "posts", Pages.posts("a", "b"));
        Map<String, Object> nested = Map.of("page", 1, "posts", Pages.posts("a", "b", "c"));
        String expectedHome = pages.renderUncached("home.peb", home);
        String expectedNested = pages.renderUncached("nested.peb", nested);

        for (int i = 0; i < 3; i++) {
            assertThat(pages.render("home.peb", home)).isEqualTo(expectedHome);
            assertThat(pages.render("nested.peb", nested)).isEqualTo(expectedNested);
        }
        larder.invalidateTag("posts");

        assertThat(pages.probe.count("home-posts")).isEqualTo(1 + 3);
        assertThat(pages.probe.count("post")).isEqualTo(3 + 3 * 3);
        assertThat(store.calls.get()).isPositive();
        assertThat(larder.stats().get("fragment.home-posts").storeErrors()).isPositive();
    }
}
