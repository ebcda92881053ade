package io.larder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.store.MemoryStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The edges of the public API a new user meets: strict regions, peek, close, getAll. */
class LarderApiTest {
    private static LarderBuilder builder() {
        return Larder.builder().store(MemoryStore.builder().maximumSize(100).build())
                .refreshExecutor(Runnable::run);
    }

    @Test
    void strictRegions_aCallOnAnUnknownRegionFailsNamingIt_knownRegionsWork() {
        try (Larder larder = builder().strictRegions()
                .region("posts", r -> r.ttl(Duration.ofMinutes(1))).build()) {
            assertThat(larder.get(Key.of("posts", 1), String.class, () -> "one")).isEqualTo("one");

            assertThatThrownBy(() -> larder.get(Key.of("psots", 1), String.class, () -> "typo"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'psots' was not configured");
            assertThatThrownBy(() -> larder.put(Key.of("psots", 1), "typo"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> larder.getAll(List.of(Key.of("psots", 1)), String.class,
                    keys -> Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThat(larder.stats()).containsOnlyKeys("posts");
        }
    }

    @Test
    void withoutStrictRegions_anUnknownRegionGetsTheDefaults() {
        try (Larder larder = builder().ttl(Duration.ofSeconds(42)).build()) {
            larder.get(Key.of("anything", 1), String.class, () -> "v");

            assertThat(larder.region("anything").ttl()).isEqualTo(Duration.ofSeconds(42));
        }
    }

    @Test
    void peek_tellsACachedNullFromNothingCached() {
        try (Larder larder = builder().build()) {
            larder.get(Key.of("posts", "none"), String.class, () -> null);

            assertThat(larder.peek(Key.of("posts", "none"), String.class))
                    .contains(new Lookup<>(null, Outcome.HIT));
            assertThat(larder.peek(Key.of("posts", "never"), String.class)).isEmpty();
            assertThat(larder.getIfPresent(Key.of("posts", "none"), String.class)).isEmpty();
            assertThat(larder.peek(Key.of("posts", "none"), new TypeRef<String>() { }))
                    .map(Lookup::outcome).contains(Outcome.HIT);
        }
    }

    @Test
    void close_thenReadsAndWritesFailClearly_invalidationsDoNot_andCloseAgainIsFine() {
        Larder larder = builder().build();
        larder.put(Key.of("posts", 1), "one");
        larder.close();

        assertThatThrownBy(() -> larder.get(Key.of("posts", 1), String.class, () -> "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> larder.put(Key.of("posts", 1), "x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> larder.getIfPresent(Key.of("posts", 1), String.class))
                .isInstanceOf(IllegalStateException.class);
        larder.invalidateTag("posts"); // a commit hook running during shutdown must not fail
        larder.close();
    }

    @Test
    void getAll_withoutOptions_usesTheRegionsSettings_andCachesNullValues() {
        try (Larder larder = builder().build()) {
            Map<Key, String> values = larder.getAll(List.of(Key.of("posts", 1), Key.of("posts", 2)),
                    String.class, keys -> {
                        Map<Key, String> found = new HashMap<>();
                        found.put(Key.of("posts", 1), null);
                        return found;
                    });

            assertThat(values).containsOnlyKeys(Key.of("posts", 1));
            assertThat(larder.peek(Key.of("posts", 1), String.class)).map(Lookup::value)
                    .isEqualTo(Optional.empty());
            assertThat(larder.peek(Key.of("posts", 1), String.class)).isPresent();
            assertThat(larder.peek(Key.of("posts", 2), String.class)).isEmpty();
        }
    }

    @Test
    void configureRegion_atRunTime_appliesToLaterWrites_andKeepsTheCounters() {
        try (Larder larder = builder().strictRegions().build()) {
            assertThatThrownBy(() -> larder.get(Key.of("made-later", 1), String.class, () -> "x"))
                    .isInstanceOf(IllegalArgumentException.class);

            Region made = larder.configureRegion("made-later",
                    r -> r.ttl(Duration.ofSeconds(7)).tags("later"));
            larder.get(Key.of("made-later", 1), String.class, () -> "v");
            larder.configureRegion("made-later", r -> r.ttl(Duration.ofSeconds(9)));

            assertThat(made.ttl()).isEqualTo(Duration.ofSeconds(7));
            assertThat(larder.region("made-later").ttl()).isEqualTo(Duration.ofSeconds(9));
            assertThat(larder.stats().get("made-later").misses()).isEqualTo(1);
        }
    }

    @Test
    void getAll_keysTheLoaderLeavesOut_areCachedAsAbsent_untilInvalidated() {
        try (Larder larder = builder().build()) {
            AtomicInteger loads = new AtomicInteger();
            List<Key> keys = List.of(Key.of("users", 1), Key.of("users", 404));
            BulkLoader<String> loader = missing -> {
                loads.incrementAndGet();
                return missing.contains(Key.of("users", 1))
                        ? Map.of(Key.of("users", 1), "alice") : Map.of();
            };

            assertThat(larder.getAll(keys, String.class, Options.tags("users"), loader))
                    .containsExactly(Map.entry(Key.of("users", 1), "alice"));
            assertThat(larder.getAll(keys, String.class, Options.tags("users"), loader))
                    .containsExactly(Map.entry(Key.of("users", 1), "alice"));
            assertThat(loads).hasValue(1);
            // A single get does not take the absence for a value: it loads the key itself.
            assertThat(larder.get(Key.of("users", 404), String.class, () -> "created"))
                    .isEqualTo("created");
            assertThat(larder.getAll(keys, String.class, Options.tags("users"), loader))
                    .containsEntry(Key.of("users", 404), "created");

            larder.invalidateTag("users");
            larder.getAll(keys, String.class, Options.tags("users"), loader);
            assertThat(loads).hasValue(2);
        }
    }
}
