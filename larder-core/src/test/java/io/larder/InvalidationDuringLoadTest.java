package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.spi.StoredEntry;
import io.larder.store.MemoryStore;
import io.larder.testing.ForwardingStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An invalidation that lands while a value is being loaded or written must win, on the single
 * and on the bulk path alike: the loaded value is returned to its caller, but the next call
 * loads again. Regression: the bulk path did not re-check after writing, so an invalidation
 * that arrived while the store was writing left the old value cached.
 */
class InvalidationDuringLoadTest {
    private static final Key KEY = Key.of("posts", 1);

    /** The two ways into the engine's load path. */
    enum Path {
        SINGLE {
            @Override
            String get(Larder larder, Options options, String value) {
                return larder.get(KEY, String.class, options, () -> value);
            }
        },
        BULK {
            @Override
            String get(Larder larder, Options options, String value) {
                return larder.getAll(List.of(KEY), String.class, options,
                        keys -> Map.of(KEY, value)).get(KEY);
            }
        };

        abstract String get(Larder larder, Options options, String value);
    }

    /** A store that runs {@code beforePut} as a write begins, then writes. */
    private static final class InterruptedWrites extends ForwardingStore {
        final AtomicReference<Runnable> beforePut = new AtomicReference<>();

        InterruptedWrites() {
            super(MemoryStore.builder().maximumSize(100).build());
        }

        @Override
        public void put(Key key, StoredEntry entry) {
            Runnable action = beforePut.getAndSet(null);
            if (action != null) {
                action.run();
            }
            super.put(key, entry);
        }
    }

    private static String loadWhile(Path path, Consumer<Larder> invalidation, boolean inWrite) {
        InterruptedWrites store = new InterruptedWrites();
        try (Larder larder = Larder.builder().store(store).refreshExecutor(Runnable::run)
                .build()) {
            Options tagged = Options.tags("posts");
            if (inWrite) {
                store.beforePut.set(() -> invalidation.accept(larder));
                assertThat(path.get(larder, tagged, "old")).isEqualTo("old");
            } else {
                String first = path == Path.SINGLE
                        ? larder.get(KEY, String.class, tagged, () -> {
                            invalidation.accept(larder);
                            return "old";
                        })
                        : larder.getAll(List.of(KEY), String.class, tagged, keys -> {
                            invalidation.accept(larder);
                            return Map.of(KEY, "old");
                        }).get(KEY);
                assertThat(first).isEqualTo("old");
            }
            return path.get(larder, tagged, "new");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void invalidateKey_whileTheValueIsWritten_theNextCallLoadsAgain(Path path) {
        assertThat(loadWhile(path, larder -> larder.invalidate(KEY), true)).isEqualTo("new");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void invalidateKey_whileTheLoaderRuns_theNextCallLoadsAgain(Path path) {
        assertThat(loadWhile(path, larder -> larder.invalidate(KEY), false)).isEqualTo("new");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void invalidateTag_whileTheLoaderRuns_theNextCallLoadsAgain(Path path) {
        assertThat(loadWhile(path, larder -> larder.invalidateTag("posts"), false))
                .isEqualTo("new");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void invalidateRegion_whileTheValueIsWritten_theNextCallLoadsAgain(Path path) {
        assertThat(loadWhile(path, larder -> larder.invalidateRegion("posts"), true))
                .isEqualTo("new");
    }
}
