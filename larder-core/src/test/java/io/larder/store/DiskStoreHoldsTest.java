package io.larder.store;

import static io.larder.store.DiskStoreTrustTest.readUntilTrusted;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.Outcome;
import io.larder.Snapshot;
import io.larder.Source;
import io.larder.codec.JsonCodec;
import io.larder.spi.EntryFormat;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.Tampering;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DiskStore#holds}: an entry read from the memo of a settled, authenticated file is
 * vouched for while a read would return that very entry, and never once the file changed in any
 * way (in place, copied over, deleted, rewritten by another store or through this one) or the
 * memo no longer keeps its bytes. Each case first proves that the entry was held.
 */
class DiskStoreHoldsTest {
    private static final byte[] SECRET = "holds-test-secret-0123456789abcd".getBytes(
            StandardCharsets.UTF_8);
    private static final String BIG = "x".repeat(64 * 1024);
    private static final long MEMO = 1 << 20;

    @TempDir
    Path temp;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private DiskStore store;
    private final Key key = Key.of("pages", "en");
    private final Key other = Key.of("pages", "de");

    /** A store on the shared folder, its files trusted once 50 ms old. */
    private DiskStore open(long memo) {
        return open(Duration.ofMillis(50), memo);
    }

    private DiskStore open(Duration settle, long memo) {
        DiskStore s = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false)
                .trustSettle(settle).memoBytes(memo).build();
        s.bind(new StoreContext(InstantSource.system(), Optional.of(SECRET)));
        opened.add(s);
        return s;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private static StoredEntry entry(String value) {
        long now = System.currentTimeMillis();
        return new StoredEntry(Payload.ofValue(value, String.class, JsonCodec.standard()), now,
                now + 3_600_000, now + 7_200_000, 1, List.of("@region:pages"), new long[] {0});
    }

    /** An entry of {@code k} read from {@code s}'s memo, which {@code s} vouches for. */
    private static StoredEntry held(DiskStore s, Key k) throws Exception {
        readUntilTrusted(s, k);
        StoredEntry read = s.get(k);
        assertThat(s.holds(k, read)).as("a settled file's entry from the memo is held").isTrue();
        return read;
    }

    private StoredEntry written(Key k, String value) throws Exception {
        if (store == null) {
            store = open(MEMO);
        }
        store.put(k, entry(value));
        return held(store, k);
    }

    private Path file(Key k) {
        return FileLayout.entry(store.root(), k);
    }

    @Test
    void anEntryFromTheMemo_isHeld_asLongAsTheFileIsUnchanged() throws Exception {
        StoredEntry read = written(key, BIG);
        assertThat(store.holds(key, read)).isTrue();
        assertThat(store.holds(key, read)).isTrue();
        assertThat(store.holds(key, store.get(key))).isTrue();
    }

    @Test
    void theEntryOfTheReadThatFilledTheMemo_isHeldToo() throws Exception {
        store = open(MEMO);
        store.put(key, entry(BIG));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        StoredEntry read = store.get(key);
        while (!store.holds(key, read)) {
            assertThat(System.nanoTime()).as("a settled file is held").isLessThan(deadline);
            Thread.sleep(20);
            read = store.get(key);
        }
        assertThat(store.memoHits()).as("read from the file, not from the memo").isZero();
    }

    @Test
    void aFileChangedInPlace_withSizeAndMtimeKept_isNotHeld_andTheReadRejectsIt()
            throws Exception {
        StoredEntry read = written(key, BIG);
        Path f = file(key);
        FileTime mtime = Files.getLastModifiedTime(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 1;
        Files.write(f, bytes);
        Files.setLastModifiedTime(f, mtime);

        assertThat(store.holds(key, read)).isFalse();
        assertThat(store.get(key)).isNull();
    }

    @Test
    void aFileReplacedByACopyOfAnotherKeysFile_isNotHeld() throws Exception {
        StoredEntry read = written(key, BIG);
        StoredEntry otherRead = written(other, BIG.replace('x', 'y'));

        Files.copy(file(other), file(key), StandardCopyOption.REPLACE_EXISTING);

        assertThat(store.holds(key, read)).isFalse();
        assertThat(store.holds(other, otherRead)).isTrue();
        assertThat(store.get(key)).isNull();
    }

    @Test
    void aFileDeletedBehindTheStore_isNotHeld() throws Exception {
        StoredEntry read = written(key, BIG);
        Files.delete(file(key));
        assertThat(store.holds(key, read)).isFalse();
    }

    @Test
    void aFileRewrittenByAnotherStoreOnTheFolder_isNotHeld_andItsNewEntryIsOnceSettled()
            throws Exception {
        StoredEntry read = written(key, BIG);
        DiskStore second = open(MEMO);
        second.put(key, entry(BIG)); // the same value, as another process would write it

        assertThat(store.holds(key, read)).isFalse();
        StoredEntry again = held(store, key);
        assertThat(store.holds(key, read)).isFalse();
        assertThat(store.holds(key, again)).isTrue();
    }

    @Test
    void aPutRemoveOrClearThroughTheStore_endsIt() throws Exception {
        StoredEntry read = written(key, BIG);
        store.put(key, entry(BIG));
        assertThat(store.holds(key, read)).isFalse();

        read = held(store, key);
        store.remove(key);
        assertThat(store.holds(key, read)).isFalse();

        read = written(key, BIG);
        store.removeRegion("pages");
        assertThat(store.holds(key, read)).isFalse();

        read = written(key, BIG);
        store.clear();
        assertThat(store.holds(key, read)).isFalse();
    }

    @Test
    void anEntryIsHeldOnlyForItsKey_andOnlyByTheStoreThatReadIt() throws Exception {
        StoredEntry read = written(key, BIG);
        written(other, BIG);
        DiskStore second = open(MEMO);
        StoredEntry readBySecond = held(second, key);

        assertThat(store.holds(other, read)).isFalse();
        assertThat(store.holds(key, readBySecond)).isFalse();
        assertThat(second.holds(key, read)).isFalse();
        assertThat(store.holds(key, entry(BIG))).isFalse();
        assertThat(store.holds(key, read.withPayload(read.payload()))).isFalse();
    }

    @Test
    void withoutTheMemo_orAnEntryLargerThanIt_orAFileNotYetSettled_nothingIsHeld()
            throws Exception {
        written(key, BIG); // the store with the memo holds it
        DiskStore noMemo = open(0);
        DiskStore smallMemo = open(32 * 1024);
        DiskStore unsettled = open(Duration.ofHours(1), MEMO);
        readUntilTrusted(noMemo, key);
        readUntilTrusted(smallMemo, key);
        for (DiskStore s : List.of(noMemo, smallMemo, unsettled)) {
            StoredEntry read = s.get(key);
            assertThat(read).isNotNull();
            assertThat(s.holds(key, read)).isFalse();
        }
        assertThat(smallMemo.memoHits()).isZero();
    }

    @Test
    void everyKindOfTampering_endsIt_andTheReadRejectsIt() throws Exception {
        store = open(MEMO);
        EntryFormat format = new EntryFormat(SECRET);
        Map<Tampering.Kind, Key> keys = new EnumMap<>(Tampering.Kind.class);
        for (Tampering.Kind kind : Tampering.kinds()) {
            keys.put(kind, Key.of("pages", kind.name()));
            store.put(keys.get(kind), entry(kind.name() + BIG));
        }
        store.put(other, entry("another key"));
        byte[] otherBytes = Files.readAllBytes(file(other));
        Map<Key, StoredEntry> reads = new HashMap<>();
        for (Key k : keys.values()) {
            reads.put(k, held(store, k));
        }
        Random random = new Random(7);
        List<Tampering.Kind> stillHeld = new ArrayList<>();
        List<Tampering.Kind> accepted = new ArrayList<>();
        long rejectedBefore = store.stats().corruptDropped();
        for (Map.Entry<Tampering.Kind, Key> e : keys.entrySet()) {
            Key k = e.getValue();
            byte[] valid = Files.readAllBytes(file(k));
            Files.write(file(k), Tampering.apply(e.getKey(), k.digest(),
                    format.read(k.digest(), valid), valid, otherBytes, random));
            if (store.holds(k, reads.get(k))) {
                stillHeld.add(e.getKey());
            }
            if (store.get(k) != null) {
                accepted.add(e.getKey());
            }
        }
        assertThat(stillHeld).as("tampered files still vouched for").isEmpty();
        assertThat(accepted).as("tampered files read").isEmpty();
        assertThat(store.stats().corruptDropped()).isEqualTo(rejectedBefore + keys.size());
    }

    @Test
    void hitAgain_onTheFileStoreAlone_isAHit_untilAnotherStoreRewritesTheFile()
            throws Exception {
        store = open(MEMO);
        Larder larder = Larder.builder().store(store).hmacSecret(SECRET)
                .ttl(Duration.ofHours(1)).build();
        opened.add(larder);
        Source<String> noLoad = Source.of(() -> "loaded");
        larder.put(key, "v1");
        readUntilTrusted(store, key);
        Snapshot<String> snapshot = larder.lookupStored(key, String.class, Options.NONE, noLoad);
        assertThat(snapshot.outcome()).isEqualTo(Outcome.HIT);
        long hits = larder.stats().get("pages").hits();

        assertThat(larder.hitAgain(snapshot)).isTrue();
        assertThat(larder.stats().get("pages").hits()).isEqualTo(hits + 1);

        Larder second = Larder.builder().store(open(MEMO)).hmacSecret(SECRET)
                .ttl(Duration.ofHours(1)).build();
        opened.add(second);
        second.put(key, "v2");
        assertThat(larder.hitAgain(snapshot)).isFalse();
        assertThat(larder.stats().get("pages").hits()).isEqualTo(hits + 1);
        assertThat(larder.lookupStored(key, String.class, Options.NONE, noLoad).value())
                .isEqualTo("v2");
    }
}
