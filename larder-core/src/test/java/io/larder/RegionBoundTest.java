package io.larder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A region's own bound: a busy region evicts its own entries, not the other regions'. */
class RegionBoundTest {
    @TempDir
    Path dir;

    @Test
    void busyRegionWithABound_evictsOnlyItsOwnEntries() {
        try (Larder larder = Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .region("busy", r -> r.maximumEntries(10)).build()) {
            fill(larder);
            assertThat(present(larder, "quiet", 50)).as("quiet entries kept").isEqualTo(50);
            RegionStats busy = larder.stats().get("busy");
            assertThat(busy.entries()).isLessThanOrEqualTo(10);
            assertThat(busy.evictions()).isGreaterThanOrEqualTo(990);
            assertThat(larder.stats().get("quiet").evictions()).isZero();
            assertThat(larder.region("busy").maximumEntries()).hasValue(10);
        }
    }

    @Test
    void withoutABound_theBusyRegionEvictsTheOthers() {
        // What the bound prevents: the same writes against the shared bound alone.
        try (Larder larder = Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .build()) {
            fill(larder);
            assertThat(present(larder, "quiet", 50)).as("quiet entries kept").isLessThan(50);
        }
    }

    @Test
    void byteBound_holdsTheRegionsEncodedValues() {
        try (Larder larder = Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .region("busy", r -> r.maximumBytes(20_000)).build()) {
            for (int i = 0; i < 200; i++) {
                larder.put(Key.of("busy", Integer.toString(i)), "x".repeat(1_000));
            }
            RegionStats busy = larder.stats().get("busy");
            assertThat(busy.entries()).isBetween(1L, 20L);
            assertThat(busy.evictions()).isPositive();
        }
    }

    @Test
    void tieredStore_boundsTheRegionInItsMemoryTier_theDiskKeepsTheRest() {
        try (Larder larder = Larder.builder().store(TieredStore.of(
                        MemoryStore.builder().maximumSize(100).build(),
                        DiskStore.builder(dir).build()))
                .region("busy", r -> r.maximumEntries(10)).build()) {
            fill(larder);
            assertThat(present(larder, "quiet", 50)).isEqualTo(50);
            // Evicted from memory, still on disk: every busy entry is still a hit.
            assertThat(present(larder, "busy", 1_000)).isEqualTo(1_000);
        }
    }

    @Test
    void storeWithGlobalBoundsOnly_keepsTheRegionWorking() {
        try (Larder larder = Larder.builder().store(DiskStore.builder(dir).build())
                .region("busy", r -> r.maximumEntries(10)).build()) {
            larder.put(Key.of("busy", "a"), "value");
            assertThat(larder.peek(Key.of("busy", "a"), String.class)).isPresent();
        }
    }

    @Test
    void changingTheBound_dropsTheRegionsEntries_neverServesOlderValues() {
        try (Larder larder = Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .region("busy", r -> r.maximumEntries(10)).build()) {
            larder.put(Key.of("busy", "a"), "one");
            larder.put(Key.of("quiet", "a"), "kept");
            larder.configureRegion("busy", r -> r.maximumEntries(20));
            assertThat(larder.peek(Key.of("busy", "a"), String.class)).isEmpty();
            larder.put(Key.of("busy", "a"), "two");
            larder.configureRegion("busy", r -> r.ttl(java.time.Duration.ofMinutes(1))
                    .maximumEntries(20));
            assertThat(larder.peek(Key.of("busy", "a"), String.class)).get()
                    .extracting(Lookup::value).as("same bound: entries kept").isEqualTo("two");
            larder.configureRegion("busy", r -> { });
            assertThat(larder.peek(Key.of("busy", "a"), String.class)).isEmpty();
            assertThat(larder.region("busy").maximumEntries()).isEmpty();
            assertThat(larder.peek(Key.of("quiet", "a"), String.class)).isPresent();
        }
    }

    @Test
    void badBounds_areClearErrors() {
        assertThatThrownBy(() -> Larder.builder().region("r", r -> r.maximumEntries(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximumEntries must be positive");
        assertThatThrownBy(() -> Larder.builder().region("r",
                        r -> r.maximumEntries(5).maximumBytes(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bound was already set");
    }

    private static void fill(Larder larder) {
        for (int i = 0; i < 50; i++) {
            larder.put(Key.of("quiet", Integer.toString(i)), "q" + i);
        }
        for (int i = 0; i < 1_000; i++) {
            Key key = Key.of("busy", Integer.toString(i));
            larder.put(key, "b" + i);
            for (int read = 0; read < 3; read++) { // hot entries, as a busy region's are
                larder.peek(key, String.class);
            }
        }
    }

    private static long present(Larder larder, String region, int count) {
        return IntStream.range(0, count).filter(i -> larder.peek(
                Key.of(region, Integer.toString(i)), String.class).isPresent()).count();
    }
}
