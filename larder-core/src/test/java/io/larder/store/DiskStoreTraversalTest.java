package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.FakeClock;
import io.larder.testing.HostileKeys;
import io.larder.testing.Soak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys never become paths: hostile key parts create no file outside the root, nor any odd name. */
class DiskStoreTraversalTest {
    private static final List<String> HOSTILE = HostileKeys.PARTS;

    @TempDir
    Path temp;

    @Test
    void hostileKeyParts_createNoFileOutsideTheRoot() throws IOException {
        Path root = temp.resolve("sandbox").resolve("cache");
        FakeClock clock = new FakeClock();
        Set<String> before;
        try (DiskStore store = DiskStore.builder(root).sweepInBackground(false).build()) {
            store.bind(new StoreContext(clock,
                    Optional.of("traversal-test-secret-0123456".getBytes())));
            before = tree(temp);
            long now = clock.millis();
            for (String part : HOSTILE) {
                for (Key key : List.of(Key.of("posts", part), Key.of("posts", part, part),
                        Key.of("x", 1, part))) {
                    // Not the part itself: a string value with an unpaired surrogate is not UTF-8.
                    String value = key.region() + key.parts().size() + "#" + HOSTILE.indexOf(part);
                    store.put(key, new StoredEntry(
                            Payload.ofValue(value, String.class, JsonCodec.standard()),
                            now, now + 1000, now + 1000, 0, List.of(), new long[0]));
                    assertThat(store.get(key).payload().value(String.class, JsonCodec.standard()))
                            .isEqualTo(value);
                    store.lease(key, java.time.Duration.ofSeconds(1)).close();
                }
            }
        }

        Set<String> after = tree(temp);
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        String rootPrefix = temp.relativize(root).toString() + "/";
        Pattern inRoot = Pattern.compile(Pattern.quote(rootPrefix)
                + "(posts|x)(/[0-9a-f]{2}(/[0-9a-f]{64})?)?");
        assertThat(added).isNotEmpty()
                .allMatch(p -> inRoot.matcher(p).matches(), "under root/region/xx/digest");
        assertThat(added.stream().filter(p -> p.matches(".*/[0-9a-f]{64}")).count())
                .isEqualTo(3L * HOSTILE.size()); // one file per distinct key, no lock left
        assertThat(before).allMatch(after::contains);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("hostileKeys", 3L * HOSTILE.size());
        counts.put("filesOutsideTheRoot", added.stream()
                .filter(p -> !inRoot.matcher(p).matches()).count());
        counts.put("longestFileName", (long) added.stream()
                .mapToInt(p -> p.substring(p.lastIndexOf('/') + 1).length()).max().orElse(0));
        Soak.report("file-hostile-keys", counts);
    }

    @Test
    void keysThatJoinedPartsWouldConfuse_areDistinctFiles_withTheirOwnValues() {
        FakeClock clock = new FakeClock();
        List<Key> keys = HostileKeys.colliding("posts");
        try (DiskStore store = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false)
                .build()) {
            store.bind(new StoreContext(clock,
                    Optional.of("traversal-test-secret-0123456".getBytes())));
            long now = clock.millis();
            for (int i = 0; i < keys.size(); i++) {
                store.put(keys.get(i), new StoredEntry(Payload.ofValue("value " + i, String.class,
                        JsonCodec.standard()), now, now + 1000, now + 1000, 0, List.of(),
                        new long[0]));
            }
            long collisions = 0;
            for (int i = 0; i < keys.size(); i++) {
                Object read = store.get(keys.get(i)).payload()
                        .value(String.class, JsonCodec.standard());
                if (!read.equals("value " + i)) {
                    collisions++;
                }
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("keys", (long) keys.size());
            counts.put("collisions", collisions);
            Soak.report("file-colliding-keys", counts);
            assertThat(collisions).isZero();
            assertThat(keys.stream().map(Key::digest).distinct()).hasSize(keys.size());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> tree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
