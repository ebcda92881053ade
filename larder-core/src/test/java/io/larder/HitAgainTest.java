package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.Store;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Larder#hitAgain}: a snapshot is a fresh hit again, counted, only while the store vouches
 * for its entry without a read and it is fresh, current and not due for a refresh; otherwise
 * nothing is counted and the caller reads the key.
 */
class HitAgainTest {
    private static final Key KEY = Key.of("pages", "/en/");
    private static final Options TAGGED = Options.tags("posts");
    private static final Source<String> NO_LOAD = Source.of(() -> "loaded");

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private final List<Runnable> refreshes = new ArrayList<>();
    private Larder larder;

    private Larder on(Store store) {
        larder = Larder.builder().store(store).clock(clock).ttl(Duration.ofMinutes(1))
                .staleFor(Duration.ofHours(1)).refreshExecutor(refreshes::add).build();
        larder.put(KEY, "v1", TAGGED);
        return larder;
    }

    @AfterEach
    void close() {
        larder.close();
    }

    private Snapshot<String> read() {
        return larder.lookupStored(KEY, String.class, TAGGED, NO_LOAD);
    }

    private long hits() {
        return larder.stats().get("pages").hits();
    }

    @Test
    void aFreshSnapshotOnTheMemoryStore_isAHitAgain_countedAsOne() {
        on(MemoryStore.builder().maximumSize(100).build());
        Snapshot<String> snapshot = read();
        assertThat(snapshot.outcome()).isEqualTo(Outcome.HIT);

        assertThat(larder.hitAgain(snapshot)).isTrue();
        assertThat(larder.hitAgain(snapshot)).isTrue();

        assertThat(hits()).isEqualTo(3);
    }

    @Test
    void aTagInvalidation_endsIt() {
        on(MemoryStore.builder().maximumSize(100).build());
        Snapshot<String> snapshot = read();

        larder.invalidateTag("posts");

        assertThat(larder.hitAgain(snapshot)).isFalse();
        assertThat(hits()).isEqualTo(1);
    }

    @Test
    void aNewValueOrARemoval_endsIt() {
        on(MemoryStore.builder().maximumSize(100).build());
        Snapshot<String> snapshot = read();
        larder.put(KEY, "v2", TAGGED);
        assertThat(larder.hitAgain(snapshot)).isFalse();

        Snapshot<String> second = read();
        assertThat(second.value()).isEqualTo("v2");
        larder.invalidate(KEY);
        assertThat(larder.hitAgain(second)).isFalse();
    }

    @Test
    void aStaleEntry_isNotAHitAgain_theCallerReadsAndRefreshesIt() {
        on(MemoryStore.builder().maximumSize(100).build());
        Snapshot<String> snapshot = read();

        clock.advance(Duration.ofMinutes(2));

        assertThat(larder.hitAgain(snapshot)).isFalse();
        assertThat(refreshes).isEmpty();
        assertThat(larder.stats().get("pages").staleHits()).isZero();
        Snapshot<String> stale = read();
        assertThat(stale.outcome()).isEqualTo(Outcome.STALE);
        assertThat(refreshes).hasSize(1);
    }

    @Test
    void theTieredStore_vouchesByItsMemoryTier_andSeesTagsMovedInTheFileTier() {
        DiskStore files = DiskStore.builder(dir).build();
        on(TieredStore.of(MemoryStore.builder().maximumSize(100).build(), files));
        Snapshot<String> snapshot = read();

        assertThat(larder.hitAgain(snapshot)).isTrue();

        // Another process sharing the folder moves the tag: the far tier's generations.
        try (DiskStore other = DiskStore.builder(dir).build()) {
            other.invalidateTags(List.of("posts"));
        }
        assertThat(larder.hitAgain(snapshot)).isFalse();
    }

    /** With its memo, the file store vouches for settled files: see {@code DiskStoreHoldsTest}. */
    @Test
    void theFileStoreWithoutItsMemo_neverVouches() {
        on(DiskStore.builder(dir).memoBytes(0).build());
        Snapshot<String> snapshot = read();
        assertThat(snapshot.value()).isEqualTo("v1");

        assertThat(larder.hitAgain(snapshot)).isFalse();
        assertThat(hits()).isEqualTo(1);
    }
}
