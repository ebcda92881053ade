package io.larder.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import io.larder.codec.JsonCodec;
import io.larder.spi.BadEntryException.Reason;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryFormatTest {
    private final EntryFormat format =
            new EntryFormat("a-secret-of-32-bytes-for-tests!!".getBytes());
    private final String digest = Key.of("posts", 1).digest();
    private final StoredEntry entry = new StoredEntry(
            Payload.ofValue("<p>Hello</p>", String.class, JsonCodec.standard()),
            1_000, 2_000, 3_000, 42, List.of("posts", "lang:de"), new long[] {7, 0});

    @Test
    void write_read_roundTrips() throws Exception {
        StoredEntry read = format.read(digest, format.write(digest, entry));

        assertThat(read.payload().value(String.class, JsonCodec.standard()))
                .isEqualTo("<p>Hello</p>");
        assertThat(read.createdAt()).isEqualTo(1_000);
        assertThat(read.freshUntil()).isEqualTo(2_000);
        assertThat(read.usableUntil()).isEqualTo(3_000);
        assertThat(read.computeNanos()).isEqualTo(42);
        assertThat(read.tags()).containsExactly("posts", "lang:de");
        assertThat(read.generations()).containsExactly(7, 0);
    }

    @Test
    void read_everyTruncation_isRejected() {
        byte[] bytes = format.write(digest, entry);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> format.read(digest, cut)).as("cut at " + length)
                    .isInstanceOf(BadEntryException.class);
        }
    }

    @Test
    void read_everySingleBitFlip_isRejected() {
        byte[] bytes = format.write(digest, entry);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> format.read(digest, flipped)).as("bit " + bit)
                    .isInstanceOf(BadEntryException.class);
        }
    }

    @Test
    void read_entryOfAnotherKey_isForged() {
        byte[] bytes = format.write(digest, entry);

        assertThatThrownBy(() -> format.read(Key.of("posts", 2).digest(), bytes))
                .isInstanceOfSatisfying(BadEntryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FORGED));
    }

    @Test
    void read_entryWrittenWithAnotherSecret_isForged() {
        byte[] bytes = new EntryFormat("another-secret-of-32-bytes-long!".getBytes())
                .write(digest, entry);

        assertThatThrownBy(() -> format.read(digest, bytes))
                .isInstanceOfSatisfying(BadEntryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FORGED));
    }

    @Test
    void read_foreignAndRandomBytes_areRejected() {
        Random random = new Random(1);
        for (int i = 0; i < 1_000; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            assertThatThrownBy(() -> format.read(digest, junk))
                    .isInstanceOf(BadEntryException.class);
        }
        byte[] java = {(byte) 0xAC, (byte) 0xED, 0, 5, 's', 'r', 0, 0x10, 'j', 'a', 'v', 'a'};
        assertThatThrownBy(() -> format.read(digest, java))
                .isInstanceOfSatisfying(BadEntryException.class,
                        e -> assertThat(e.reason()).isIn(Reason.FOREIGN, Reason.TRUNCATED));
    }

    @Test
    void read_anotherVersion_isRejectedAsSuch() {
        byte[] bytes = format.write(digest, entry);
        bytes[4] = 2;

        assertThatThrownBy(() -> format.read(digest, bytes))
                .isInstanceOfSatisfying(BadEntryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.VERSION));
    }

    @Test
    void constructor_shortSecret_isRefused() {
        assertThatThrownBy(() -> new EntryFormat(new byte[8]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
