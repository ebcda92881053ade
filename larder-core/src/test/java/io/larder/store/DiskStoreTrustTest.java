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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entry files read without their HMAC once authenticated ({@link VerifiedFiles}), from the memo
 * (a {@code stat}, no read) or, without it, by a read that skips the HMAC: any change to the file
 * after that, even one that keeps its size and modification time, is caught and the file is
 * authenticated (and here rejected) again. Each case runs with the memo ({@code MEMO}) and
 * without it ({@code 0}).
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

    private static final long MEMO = 1 << 20;

    private DiskStore open(Duration settle, long memo) {
        store = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false)
                .trustSettle(settle).memoBytes(memo).build();
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
        readUntilTrusted(store, k);
    }

    /** As {@link #readUntilTrusted(Key)}, on {@code store}. */
    static void readUntilTrusted(DiskStore store, Key k) throws Exception {
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

    @ParameterizedTest
    @ValueSource(longs = {MEMO, 0})
    void aSettledLargeFile_isReadWithoutItsHmac_andGivesTheSameEntry(long memo)
            throws Exception {
        open(Duration.ofMillis(50), memo).put(key, entry(BIG));
        readUntilTrusted(key);
        long trusted = store.trustedReads();
        long memoHits = store.memoHits();
        StoredEntry read = store.get(key);
        assertThat(store.trustedReads()).isEqualTo(trusted + 1);
        assertThat(store.memoHits()).isEqualTo(memo == 0 ? 0 : memoHits + 1);
        assertThat(value(read)).isEqualTo(BIG);
    }

    @Test
    void aMemoHit_decodesItsOwnValue_andKeepsNoDecodedValue() throws Exception {
        open(Duration.ofMillis(50), MEMO).put(key, entry(BIG));
        readUntilTrusted(key);
        StoredEntry first = store.get(key);
        StoredEntry second = store.get(key);
        assertThat(store.memoHits()).isPositive();
        assertThat(second).isNotSameAs(first);
        assertThat(second.payload()).isNotSameAs(first.payload());
        assertThat(value(first)).isEqualTo(BIG);
        assertThat(value(second)).isEqualTo(BIG).isNotSameAs(value(first));
    }

    @Test
    void aMemoizedFile_deletedBehindTheStore_isAMiss() throws Exception {
        open(Duration.ofMillis(50), MEMO).put(key, entry(BIG));
        readUntilTrusted(key);
        Files.delete(file(key));
        assertThat(store.get(key)).isNull();
    }

    @Test
    void anEntryLargerThanTheMemo_isNeverKept_butStillReadWithoutItsHmac() throws Exception {
        open(Duration.ofMillis(50), 32 * 1024).put(key, entry(BIG));
        readUntilTrusted(key);
        readUntilTrusted(key);
        assertThat(store.memoHits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {MEMO, 0})
    void aTrustedFile_changedInPlace_withSizeAndMtimeKept_isRejected(long memo)
            throws Exception {
        open(Duration.ofMillis(50), memo).put(key, entry(BIG));
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

    @ParameterizedTest
    @ValueSource(longs = {MEMO, 0})
    void aTrustedFile_replacedByAnotherKeysValidFile_isRejected(long memo) throws Exception {
        open(Duration.ofMillis(50), memo).put(key, entry(BIG));
        store.put(other, entry(BIG.replace('x', 'y')));
        readUntilTrusted(key);
        Files.copy(file(other), file(key), StandardCopyOption.REPLACE_EXISTING);
        assertThat(store.get(key)).isNull();
        assertThat(value(store.get(other))).startsWith("y");
    }

    @ParameterizedTest
    @ValueSource(longs = {MEMO, 0})
    void aTrustedFile_rewrittenByTheStore_readsTheNewValue(long memo) throws Exception {
        open(Duration.ofMillis(50), memo).put(key, entry(BIG));
        readUntilTrusted(key);
        String changed = BIG.replace('x', 'z');
        store.put(key, entry(changed));
        assertThat(value(store.get(key))).isEqualTo(changed);
    }

    @ParameterizedTest
    @ValueSource(longs = {MEMO, 0})
    void aFileWhoseCtimeHasNotSettled_isAuthenticatedEveryTime(long memo) throws Exception {
        open(Duration.ofHours(1), memo).put(key, entry(BIG));
        for (int i = 0; i < 5; i++) {
            assertThat(value(store.get(key))).isEqualTo(BIG);
        }
        assertThat(store.trustedReads()).isZero();
    }

    @Test
    void smallFiles_withoutTheMemo_areAlwaysAuthenticated() throws Exception {
        open(Duration.ZERO, 0).put(key, entry("small"));
        for (int i = 0; i < 5; i++) {
            assertThat(value(store.get(key))).isEqualTo("small");
            Thread.sleep(5);
        }
        assertThat(store.trustedReads()).isZero();
    }

    @Test
    void aSmallMemoizedFile_changedInPlace_withSizeAndMtimeKept_isRejected() throws Exception {
        open(Duration.ofMillis(50), MEMO).put(key, entry("small"));
        readUntilTrusted(key);
        assertThat(store.memoHits()).isPositive();
        Path f = file(key);
        FileTime mtime = Files.getLastModifiedTime(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 40] ^= 1; // the payload's last byte
        Files.write(f, bytes);
        Files.setLastModifiedTime(f, mtime);
        assertThat(store.get(key)).isNull();
        assertThat(f).doesNotExist();
    }
}
