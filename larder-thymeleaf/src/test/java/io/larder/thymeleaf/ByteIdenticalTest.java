package io.larder.thymeleaf;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.spi.Store;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every test template renders to the same bytes as Thymeleaf alone makes (caching off), on a
 * miss and on a hit, in memory (objects and bytes), in files, and in a memory tier over files.
 */
class ByteIdenticalTest {
    static Map<String, Map<String, Object>> templates() {
        List<Map<String, Object>> posts = Pages.posts("<One & Only>", "Two \"quoted\"", "Drei \u00fc");
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("simple", Map.of("who", "<World>"));
        cases.put("vary", Map.of("a", "x", "b", 2, "c", false));
        cases.put("ttl", Map.of("value", "v & w"));
        cases.put("stale-loop", Map.of("posts", posts));
        cases.put("home", Map.of("lang", "de", "page", 3, "posts", posts));
        cases.put("nested", Map.of("page", 1, "posts", posts));
        cases.put("escape", Map.of("html", "<script>alert('x')</script>", "evil", "[[${html}]]"));
        cases.put("insert", Map.of("who", "<you>", "post", Pages.post(7, "T & <7>")));
        cases.put("dynamic", Map.of("name", "dyn", "n", 7, "seconds", 30, "staleSeconds", 5,
                "tag", "t"));
        cases.put("deep", Map.of("depth", 6));
        return cases;
    }

    static List<Supplier<Store>> stores() {
        return List.of(
                () -> MemoryStore.builder().maximumSize(1000).build(),
                () -> MemoryStore.builder().maximumBytes(1 << 20).build(),
                () -> DiskStore.builder(tempDir()).build(),
                () -> TieredStore.of(MemoryStore.builder().maximumSize(10).build(),
                        DiskStore.builder(tempDir()).build()));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("fragments");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void everyTemplate_rendersTheSameBytesWithAndWithoutCaching(Supplier<Store> store) {
        try (Larder larder = Larder.builder().store(store.get()).build()) {
            Pages pages = new Pages(larder);
            templates().forEach((template, model) -> {
                String uncached = pages.renderUncached(template, model);
                String miss = pages.render(template, model);
                String hit = pages.render(template, model);

                assertThat(miss).as(template + " on a miss").isEqualTo(uncached);
                assertThat(hit).as(template + " on a hit").isEqualTo(uncached);
            });
        }
    }
}
