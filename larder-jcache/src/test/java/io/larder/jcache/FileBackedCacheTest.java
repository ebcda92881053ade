package io.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JCache cache on the file store: what other processes or an attacker left in the folder is
 * authenticated and decoded by Larder's codec only; anything wrong is a miss, never a failure.
 */
class FileBackedCacheTest {
    @TempDir
    Path root;

    /** A value type that is a JSON record: what file-backed caches store. */
    public record Point(int x, int y) { }

    private CacheManager open(Object... more) {
        Object[] settings = Stream.concat(Stream.of("larder.store", "file", "larder.file.root",
                root.toString()), Stream.of(more)).toArray();
        return Managers.open(settings);
    }

    @Test
    void entriesOutliveTheirManager_andAreReadBackAsTheirType() {
        try (CacheManager first = open()) {
            first.createCache("points", config()).put("p", new Point(1, 2));
        }
        try (CacheManager second = open()) {
            assertThat(second.createCache("points", config()).get("p"))
                    .isEqualTo(new Point(1, 2));
        }
    }

    @Test
    void tamperedFile_isAMiss_andTheCacheKeepsWorking() throws IOException {
        try (CacheManager manager = open()) {
            Cache<String, Point> cache = manager.createCache("points", config());
            cache.put("p", new Point(1, 2));
            Path file = onlyEntry("points");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x40;
            Files.write(file, bytes);

            assertThat(cache.get("p")).isNull();
            cache.put("p", new Point(3, 4));
            assertThat(cache.get("p")).isEqualTo(new Point(3, 4));
        }
    }

    @Test
    void foreignBytes_areAMiss() throws IOException {
        try (CacheManager manager = open()) {
            Cache<String, Point> cache = manager.createCache("points", config());
            cache.put("p", new Point(1, 2));
            Files.write(onlyEntry("points"), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 's'});

            assertThat(cache.get("p")).isNull();
        }
    }

    @Test
    void entryWrittenWithAnotherSecret_isAMiss() {
        try (CacheManager writer = open("larder.hmacSecret", "one secret of 16+ bytes")) {
            writer.createCache("points", config()).put("p", new Point(1, 2));
        }
        try (CacheManager reader = open("larder.hmacSecret", "another secret, 16+ bytes")) {
            assertThat(reader.createCache("points", config()).get("p")).isNull();
        }
    }

    @Test
    void classNotAllowedInThisManager_isAMiss_neverLoaded() {
        try (CacheManager writer = open("larder.types", Point.class.getName())) {
            writer.createCache("any", new MutableConfiguration<String, Object>())
                    .put("p", new Point(1, 2));
        }
        try (CacheManager reader = open()) {
            Cache<String, Object> cache = reader.createCache("any",
                    new MutableConfiguration<String, Object>());
            assertThat(cache.get("p")).isNull();
        }
        try (CacheManager allowed = open("larder.types", "io.larder.jcache.*")) {
            Cache<String, Object> cache = allowed.createCache("any",
                    new MutableConfiguration<String, Object>());
            cache.put("p", new Point(5, 6));
            assertThat(cache.get("p")).isEqualTo(new Point(5, 6));
        }
    }

    private static MutableConfiguration<String, Point> config() {
        return new MutableConfiguration<String, Point>().setTypes(String.class, Point.class);
    }

    private Path onlyEntry(String region) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(region))) {
            List<Path> entries = files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".")).toList();
            assertThat(entries).hasSize(1);
            return entries.get(0);
        }
    }
}
