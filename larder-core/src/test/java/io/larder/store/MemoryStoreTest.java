package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.StoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContract {
    @Override
    protected Store newStore() {
        return MemoryStore.builder().maximumSize(10_000).build();
    }

    @Test
    void boundedBySize_evictsAndCountsEvictionsPerRegion() {
        MemoryStore small = MemoryStore.builder().maximumSize(100).build();
        small.bind(context());
        for (int i = 0; i < 1_000; i++) {
            small.put(Key.of("posts", i), entry("v" + i, String.class, List.of(), new long[0]));
        }

        assertThat(small.usage("posts").entries()).isLessThanOrEqualTo(100);
        assertThat(small.usage("posts").evictions()).isGreaterThanOrEqualTo(900);
    }

    @Test
    void boundedByBytes_weighsEncodedValues() {
        MemoryStore small = MemoryStore.builder().maximumBytes(64 * 1024).build();
        small.bind(context());
        for (int i = 0; i < 100; i++) {
            small.put(Key.of("pages", i),
                    entry("p".repeat(4096), String.class, List.of(), new long[0]));
        }

        assertThat(small.usage("pages").bytes()).isLessThanOrEqualTo(64 * 1024);
        assertThat(small.usage("pages").entries()).isBetween(1L, 16L);
    }

    @Test
    void sweep_dropsEntriesPastTheirStaleWindowOnly() {
        MemoryStore memory = (MemoryStore) store;
        memory.put(Key.of("posts", 1), entry("old", String.class, List.of(), new long[0]));
        clock.advance(java.time.Duration.ofSeconds(90)); // fresh 60 s, usable 120 s
        memory.put(Key.of("posts", 2), entry("new", String.class, List.of(), new long[0]));
        clock.advance(java.time.Duration.ofSeconds(60));

        memory.sweep();

        assertThat(memory.get(Key.of("posts", 1))).isNull();
        assertThat(memory.get(Key.of("posts", 2))).isNotNull();
    }

    @Test
    void builder_withoutBound_failsFast() {
        assertThatThrownBy(() -> MemoryStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maximumSize");
        assertThatThrownBy(() -> MemoryStore.builder().maximumSize(0))
                .hasMessage("maximumSize must be positive, was 0");
    }
}
