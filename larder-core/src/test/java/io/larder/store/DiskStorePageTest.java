package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.http.TestPage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages in their binary form on the file store are authenticated as every entry is: a body
 * changed in place, even in a file already trusted by its identity, or a file copied from
 * another key, reads as a miss through the whole {@link Larder}, and the file is deleted.
 */
class DiskStorePageTest {
    private static final byte[] SECRET = "page-test-secret-0123456789abcdef".getBytes(
            StandardCharsets.UTF_8);

    @TempDir
    Path temp;
    private DiskStore store;
    private Larder larder;
    private final Key key = Key.of("page", "/en/");
    private final Key other = Key.of("page", "/de/");

    private static TestPage page(char fill) {
        return new TestPage(200, "text/html", Map.of("X-Frame-Options", "DENY"),
                String.valueOf(fill).repeat(16 * 1024).getBytes(StandardCharsets.UTF_8), "\"t\"",
                null);
    }

    private void open() {
        store = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false)
                .trustSettle(Duration.ofMillis(50)).build();
        larder = Larder.builder().store(store).hmacSecret(SECRET).build();
    }

    @AfterEach
    void close() {
        if (larder != null) {
            larder.close();
        }
    }

    private boolean cached(Key k) {
        return larder.getIfPresent(k, TestPage.class).isPresent();
    }

    private void readUntilTrusted(Key k) throws InterruptedException {
        long before = store.trustedReads();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.trustedReads() == before) {
            assertThat(System.nanoTime()).as("a settled file is trusted").isLessThan(deadline);
            assertThat(cached(k)).isTrue();
            Thread.sleep(20);
        }
    }

    @Test
    void aTrustedPage_withABodyByteChangedInPlace_isAMiss() throws Exception {
        open();
        larder.put(key, page('x'));
        readUntilTrusted(key);
        assertThat(larder.getIfPresent(key, TestPage.class)).contains(page('x'));
        Path file = FileLayout.entry(store.root(), key);
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] = 'y'; // inside the body, stored as it is
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, mtime);
        long dropped = store.stats().corruptDropped();

        assertThat(cached(key)).isFalse();
        assertThat(store.stats().corruptDropped()).isEqualTo(dropped + 1);
        assertThat(file).doesNotExist();
    }

    @Test
    void anotherKeysPageFile_copiedOverThePage_isAMiss() throws Exception {
        open();
        larder.put(key, page('x'));
        larder.put(other, page('z'));
        readUntilTrusted(key);
        Files.copy(FileLayout.entry(store.root(), other), FileLayout.entry(store.root(), key),
                StandardCopyOption.REPLACE_EXISTING);

        assertThat(cached(key)).isFalse();
        assertThat(larder.getIfPresent(other, TestPage.class)).contains(page('z'));
    }
}
