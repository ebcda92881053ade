package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.testing.FailingStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {
    @Test
    void brokenStore_everyCallBehavesAsAMissAndIsCounted() {
        FailingStore store = new FailingStore();
        Larder larder = Larder.builder().store(store).build();
        AtomicInteger loads = new AtomicInteger();

        for (int i = 0; i < 100; i++) {
            assertThat(larder.get(Key.of("posts", 1), String.class,
                    () -> "from the database " + loads.incrementAndGet()))
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
