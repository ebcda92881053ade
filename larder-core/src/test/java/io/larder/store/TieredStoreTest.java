package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import io.larder.testing.StoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class TieredStoreTest extends StoreContract {
    private MemoryStore near;
    private MemoryStore far;

    @Override
    protected Store newStore() {
        near = MemoryStore.builder().maximumSize(1_000).build();
        far = MemoryStore.builder().maximumSize(10_000).build();
        return TieredStore.of(near, far);
    }

    @Test
    void get_missInNear_fillsNearFromFar() {
        Key key = Key.of("posts", 1);
        StoredEntry entry = entry("v", String.class, List.of(), new long[0]);
        far.put(key, entry);

        assertThat(store.get(key)).isSameAs(entry);
        assertThat(near.get(key)).isSameAs(entry);
    }

    @Test
    void generations_comeFromTheFarStore() {
        far.invalidateTags(List.of("posts"));

        assertThat(store.generations(List.of("posts"))).containsExactly(1);
    }

    @Test
    void put_writesBothTiers() {
        Key key = Key.of("posts", 2);
        store.put(key, entry("v", String.class, List.of(), new long[0]));

        assertThat(near.get(key)).isNotNull();
        assertThat(far.get(key)).isNotNull();
    }
}
