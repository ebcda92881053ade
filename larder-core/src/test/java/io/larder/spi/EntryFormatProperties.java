package io.larder.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.codec.JsonCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Generated entries and generated damage: every byte string either reads back as exactly what
 * was written or is rejected with {@link BadEntryException}; nothing else is ever thrown.
 */
class EntryFormatProperties {
    private final EntryFormat format =
            new EntryFormat("property-test-secret-32-bytes!!!".getBytes());

    record Written(String digest, StoredEntry entry, byte[] bytes) { }

    @Provide
    Arbitrary<Written> entries() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
        Arbitrary<List<String>> tags = Arbitraries.strings().ofMinLength(1).ofMaxLength(40)
                .excludeChars('\0').list().uniqueElements().ofMaxSize(6);
        Arbitrary<Long> times = Arbitraries.longs().between(0, 4_000_000_000_000L);
        Arbitrary<String> parts = Arbitraries.strings().ofMaxLength(30);
        return Combinators.combine(payloads, tags, times, times, parts)
                .as((payload, tagList, a, b, part) -> {
            long[] generations = new long[tagList.size()];
            for (int i = 0; i < generations.length; i++) {
                generations[i] = (a + i) % 1000;
            }
            StoredEntry entry = new StoredEntry(
                    Payload.ofValue(payload, byte[].class, JsonCodec.standard()),
                    a, Math.min(a, b), Math.max(a, b), b, tagList, generations);
            String digest = Key.of("fuzz", part).digest();
            return new Written(digest, entry, format.write(digest, entry));
        });
    }

    @Property(tries = 300)
    void validEntries_readBackExactly(@ForAll("entries") Written written) throws Exception {
        StoredEntry read = format.read(written.digest, written.bytes);

        assertThat(read.payload().bytes()).isEqualTo(written.entry.payload().bytes());
        assertThat(read.tags()).isEqualTo(written.entry.tags());
        assertThat(read.generations()).isEqualTo(written.entry.generations());
        assertThat(read.freshUntil()).isEqualTo(written.entry.freshUntil());
        assertThat(read.usableUntil()).isEqualTo(written.entry.usableUntil());
    }

    @Property(tries = 500)
    void damagedEntries_areRejected(@ForAll("entries") Written written,
            @ForAll @Size(min = 1, max = 8)
            List<@IntRange(min = 0, max = 1_000_000) Integer> positions,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] damaged = written.bytes.clone();
        for (int position : positions) {
            damaged[position % damaged.length] ^= (byte) xor;
        }
        assertRejectedOrIdentical(written, damaged);
    }

    @Property(tries = 300)
    void truncatedOrExtendedEntries_areRejected(@ForAll("entries") Written written,
            @ForAll @IntRange(min = -5_000, max = 64) int delta) {
        int length = Math.max(0, written.bytes.length + delta);
        if (length == written.bytes.length) {
            return;
        }
        byte[] resized = Arrays.copyOf(written.bytes, length);

        assertRejected(written.digest, resized);
    }

    @Property(tries = 1_000)
    void arbitraryBytes_areRejected(@ForAll @Size(max = 4_000) byte[] junk) {
        assertRejected(Key.of("fuzz", 1).digest(), junk);
    }

    @Property(tries = 200)
    void bytesSplicedFromTwoEntries_areRejected(@ForAll("entries") Written first,
            @ForAll("entries") Written second, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        int at = cut % first.bytes.length;
        List<Byte> spliced = new ArrayList<>();
        for (int i = 0; i < at; i++) {
            spliced.add(first.bytes[i]);
        }
        for (int i = Math.min(at, second.bytes.length); i < second.bytes.length; i++) {
            spliced.add(second.bytes[i]);
        }
        byte[] bytes = new byte[spliced.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = spliced.get(i);
        }
        if (Arrays.equals(bytes, first.bytes) && first.digest.equals(second.digest)) {
            return;
        }
        if (Arrays.equals(bytes, second.bytes) && first.digest.equals(second.digest)) {
            return;
        }
        assertRejectedOrIdentical(first, bytes);
    }

    private void assertRejectedOrIdentical(Written written, byte[] bytes) {
        if (Arrays.equals(bytes, written.bytes)) {
            return;
        }
        assertRejected(written.digest, bytes);
    }

    private void assertRejected(String digest, byte[] bytes) {
        try {
            format.read(digest, bytes);
        } catch (BadEntryException expected) {
            return;
        }
        throw new AssertionError("accepted " + bytes.length + " damaged bytes");
    }
}
