package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import io.larder.testing.ForwardingStore;
import io.larder.testing.StoreContract;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** Regression: a far store that lost track (a Redis blip) closed the near tier. */
    @Test
    void farLostTrack_clearsTheNearTier_withoutClosingIt(@TempDir Path folder) {
        DiskStore file = DiskStore.builder(folder).build();
        AtomicBoolean closed = new AtomicBoolean();
        Store.Listener[] heard = new Store.Listener[1];
        Store nearFile = new ForwardingStore(file) {
            @Override
            public void close() {
                closed.set(true);
                super.close();
            }
        };
        Store farMemory = new ForwardingStore() {
            @Override
            public void listen(Listener listener) {
                heard[0] = listener;
            }
        };
        try (Larder larder = Larder.builder().store(TieredStore.of(nearFile, farMemory))
                .hmacSecret("tiered-test-secret-0123456789".getBytes()).build()) {
            larder.put(Key.of("posts", 1), "one");
            assertThat(file.get(Key.of("posts", 1))).isNotNull();

            heard[0].lostTrack();

            assertThat(closed).isFalse();
            assertThat(file.get(Key.of("posts", 1))).isNull();
            larder.put(Key.of("posts", 2), "two");
            assertThat(file.get(Key.of("posts", 2))).isNotNull();
        }
    }

    @Test
    void put_writesBothTiers() {
        Key key = Key.of("posts", 2);
        store.put(key, entry("v", String.class, List.of(), new long[0]));

        assertThat(near.get(key)).isNotNull();
        assertThat(far.get(key)).isNotNull();
    }
}
