package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large entry files read without their HMAC once authenticated ({@link VerifiedFiles}): any
 * change to the file after that, even one that keeps its size and modification time, is caught
 * and the file is authenticated (and here rejected) again.
 */
class DiskStoreTrustTest {
    private static final byte[] SECRET = "trust-test-secret-0123456789abcd".getBytes(
            StandardCharsets.UTF_8);
    private static final String BIG = "x".repeat(64 * 1024);

    @TempDir
    Path temp;
    private DiskStore store;
    private final Key key = Key.of("pages", "en");
    private final Key other = Key.of("pages", "de");

    private DiskStore open(Duration settle) {
        store = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false)
                .trustSettle(settle).build();
        store.bind(new StoreContext(InstantSource.system(), Optional.of(SECRET)));
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static StoredEntry entry(String value) {
        long now = System.currentTimeMillis();
        return new StoredEntry(Payload.ofValue(value, String.class, JsonCodec.standard()), now,
                now + 3_600_000, now + 7_200_000, 1, List.of("@region:pages"), new long[] {0});
    }

    private static String value(StoredEntry entry) throws IOException {
        return (String) entry.payload().value(String.class, JsonCodec::standard);
    }

    /** Reads until a read is served without the HMAC (the file's ctime has settled). */
    private void readUntilTrusted(Key k) throws Exception {
        long before = store.trustedReads();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.trustedReads() == before) {
            assertThat(System.nanoTime()).as("a settled file is trusted").isLessThan(deadline);
            assertThat(store.get(k)).isNotNull();
            Thread.sleep(20);
        }
    }

    private Path file(Key k) {
        return FileLayout.entry(store.root(), k);
    }

    @Test
    void aSettledLargeFile_isReadWithoutItsHmac_andGivesTheSameEntry() throws Exception {
        open(Duration.ofMillis(50)).put(key, entry(BIG));
        readUntilTrusted(key);
        long trusted = store.trustedReads();
        StoredEntry read = store.get(key);
        assertThat(store.trustedReads()).isEqualTo(trusted + 1);
        assertThat(value(read)).isEqualTo(BIG);
    }

    @Test
    void aTrustedFile_changedInPlace_withSizeAndMtimeKept_isRejected() throws Exception {
        open(Duration.ofMillis(50)).put(key, entry(BIG));
        readUntilTrusted(key);
        Path f = file(key);
        FileTime mtime = Files.getLastModifiedTime(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 1; // inside the payload: the JSON string
        Files.write(f, bytes);
        Files.setLastModifiedTime(f, mtime);
        long dropped = store.stats().corruptDropped();
        assertThat(store.get(key)).isNull();
        assertThat(store.stats().corruptDropped()).isEqualTo(dropped + 1);
        assertThat(f).doesNotExist();
    }

    @Test
    void aTrustedFile_replacedByAnotherKeysValidFile_isRejected() throws Exception {
        open(Duration.ofMillis(50)).put(key, entry(BIG));
        store.put(other, entry(BIG.replace('x', 'y')));
        readUntilTrusted(key);
        Files.copy(file(other), file(key), StandardCopyOption.REPLACE_EXISTING);
        assertThat(store.get(key)).isNull();
        assertThat(value(store.get(other))).startsWith("y");
    }

    @Test
    void aTrustedFile_rewrittenByTheStore_readsTheNewValue() throws Exception {
        open(Duration.ofMillis(50)).put(key, entry(BIG));
        readUntilTrusted(key);
        String changed = BIG.replace('x', 'z');
        store.put(key, entry(changed));
        assertThat(value(store.get(key))).isEqualTo(changed);
    }

    @Test
    void aFileWhoseCtimeHasNotSettled_isAuthenticatedEveryTime() throws Exception {
        open(Duration.ofHours(1)).put(key, entry(BIG));
        for (int i = 0; i < 5; i++) {
            assertThat(value(store.get(key))).isEqualTo(BIG);
        }
        assertThat(store.trustedReads()).isZero();
    }

    @Test
    void smallFiles_areAlwaysAuthenticated() throws Exception {
        open(Duration.ZERO).put(key, entry("small"));
        for (int i = 0; i < 5; i++) {
            assertThat(value(store.get(key))).isEqualTo("small");
            Thread.sleep(5);
        }
        assertThat(store.trustedReads()).isZero();
    }
}
