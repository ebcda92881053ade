package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.codec.JsonCodec;
import io.larder.spi.EntryFormat;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad file reads as a miss, is deleted and counted, and throws nothing. */
class DiskStoreCorruptionTest {
    private static final byte[] SECRET =
            "corruption-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path temp;
    private final FakeClock clock = new FakeClock();
    private final Key key = Key.of("posts", "de", 42);
    private DiskStore store;
    private Path file;
    private byte[] valid;

    @BeforeEach
    void writeOneEntry() throws IOException {
        store = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false).build();
        store.bind(new StoreContext(clock, Optional.of(SECRET)));
        long now = clock.millis();
        store.put(key, new StoredEntry(
                Payload.ofValue("Hallo, Welt", String.class, JsonCodec.standard()),
                now, now + 60_000, now + 120_000, 5, List.of("posts", "@region:posts"),
                new long[] {0, 0}));
        file = store.root().resolve("posts").resolve(key.digest().substring(0, 2))
                .resolve(key.digest());
        valid = Files.readAllBytes(file);
        assertThat(store.get(key)).isNotNull();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Writes {@code bytes} as the entry file, reads it, and checks: a miss, gone, counted. */
    private void assertMissAndDropped(byte[] bytes, String what) throws IOException {
        long dropped = store.stats().corruptDropped();
        Files.write(file, bytes);

        assertThat(store.get(key)).as(what).isNull();
        assertThat(file).as(what + ": file deleted").doesNotExist();
        assertThat(store.stats().corruptDropped()).as(what + ": counted").isEqualTo(dropped + 1);
    }

    @Test
    void truncatedAtEveryByteOffset_isAMiss() throws IOException {
        for (int length = 0; length < valid.length; length++) {
            assertMissAndDropped(Arrays.copyOf(valid, length), "truncated to " + length);
        }
    }

    @Test
    void aFlippedBitAnywhere_isAMiss() throws IOException {
        for (int bit = 0; bit < valid.length * 8; bit++) {
            byte[] damaged = valid.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertMissAndDropped(damaged, "bit " + bit + " flipped");
        }
    }

    @Test
    void randomBytes_isAMiss() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(2 * valid.length)];
            random.nextBytes(noise);
            assertMissAndDropped(noise, "random bytes #" + i);
        }
    }

    @Test
    void aFileOfAnotherFormat_isAMiss() throws IOException {
        assertMissAndDropped("{\"title\":\"Hello\"}".getBytes(StandardCharsets.UTF_8), "JSON");
        assertMissAndDropped(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 0x73, 0x72},
                "Java serialization");
        assertMissAndDropped("\u0080\u0004\u0095pickle".getBytes(StandardCharsets.ISO_8859_1),
                "pickle");
        assertMissAndDropped(new byte[valid.length], "zeros");
    }

    @Test
    void anotherFormatVersion_isAMiss() throws IOException {
        byte[] newer = valid.clone();
        newer[4] = (byte) (EntryFormat.VERSION + 1);
        assertMissAndDropped(newer, "version " + (EntryFormat.VERSION + 1));
    }

    @Test
    void anEntryForgedWithoutTheSecret_orCopiedFromAnotherKey_isAMiss() throws IOException {
        EntryFormat forger = new EntryFormat(
                "not-the-secret-at-all-0123456789".getBytes(StandardCharsets.UTF_8));
        StoredEntry evil = new StoredEntry(
                Payload.ofBytes("\"evil\"".getBytes(StandardCharsets.UTF_8)),
                0, Long.MAX_VALUE, Long.MAX_VALUE, 0, List.of(), new long[0]);
        assertMissAndDropped(forger.write(key.digest(), evil), "forged");

        Key other = Key.of("posts", "de", 43);
        store.put(other, new StoredEntry(
                Payload.ofBytes("\"other\"".getBytes(StandardCharsets.UTF_8)),
                0, Long.MAX_VALUE, Long.MAX_VALUE, 0, List.of(), new long[0]));
        Path otherFile = store.root().resolve("posts").resolve(other.digest().substring(0, 2))
                .resolve(other.digest());
        assertMissAndDropped(Files.readAllBytes(otherFile), "copied from another key");
    }

    @Test
    void badFilesThroughTheLarder_areMissesThatLoadAgain_neverExceptions() throws IOException {
        try (Larder larder = Larder.builder().store(store).clock(clock).hmacSecret(SECRET)
                .refreshExecutor(Runnable::run).build()) {
            AtomicInteger loads = new AtomicInteger();
            Key page = Key.of("pages", "home");
            assertThat(larder.get(page, String.class, () -> "v" + loads.incrementAndGet()))
                    .isEqualTo("v1");
            Path pageFile = store.root().resolve("pages").resolve(page.digest().substring(0, 2))
                    .resolve(page.digest());
            byte[] good = Files.readAllBytes(pageFile);
            Files.write(pageFile, Arrays.copyOf(good, good.length / 2));

            assertThat(larder.get(page, String.class, () -> "v" + loads.incrementAndGet()))
                    .isEqualTo("v2");
            assertThat(larder.get(page, String.class, () -> "v" + loads.incrementAndGet()))
                    .isEqualTo("v2");
            assertThat(larder.stats().get("pages").storeErrors()).isZero();
        }
    }
}
