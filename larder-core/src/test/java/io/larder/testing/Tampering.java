package io.larder.testing;

import io.larder.spi.EntryFormat;
import io.larder.spi.Payload;
import io.larder.spi.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What an attacker or a broken disk can put where a store keeps an entry (a file, a Redis
 * value), made from a valid entry: Java serialization gadget streams, forged and spliced
 * entries, bit flips, cuts. Every result differs from the valid bytes, so a store must reject
 * each one before its payload reaches a codec. Shared by the file and Redis tests.
 */
public final class Tampering {
    /** The magic of a Java serialization stream, as CommonsCollections-style exploits start. */
    public static final byte[] JAVA_SERIALIZATION_MAGIC = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05};
    private static final EntryFormat ATTACKER =
            new EntryFormat("the-attacker-does-not-know-it!!!".getBytes(StandardCharsets.UTF_8));

    /** One way of tampering. */
    public enum Kind {
        /** A bare serialization stream of {@link Gadget}. */
        GADGET_STREAM,
        /** A stream naming CommonsCollections' InvokerTransformer (AC ED 00 05 73 72 ...). */
        COMMONS_COLLECTIONS_STREAM,
        /** A well-formed entry (valid checksum) whose payload is a gadget stream, HMAC guessed. */
        FORGED_ENTRY_WITH_GADGET,
        /** The valid entry's header, then a gadget stream, checksum recomputed. */
        GADGET_SPLICED_AFTER_HEADER,
        /** The valid entry with 1 to 8 bits flipped. */
        BIT_FLIPS,
        /** The valid entry cut short. */
        TRUNCATED,
        /** The valid entry with a gadget stream appended. */
        EXTENDED,
        /** The start of the valid entry, then the rest of another key's entry. */
        SPLICED_WITH_OTHER_KEY,
        /** Another key's valid entry, copied. */
        OTHER_KEYS_ENTRY,
        /** The same entry written with another secret. */
        OTHER_SECRET,
        /** Random bytes. */
        RANDOM_BYTES,
        /** Nothing. */
        EMPTY
    }

    private Tampering() {
    }

    /**
     * {@code valid} (the bytes of {@code entry} under the key with digest {@code digest})
     * tampered with as {@code kind}; {@code otherKey} is a valid entry of another key.
     */
    public static byte[] apply(Kind kind, String digest, StoredEntry entry, byte[] valid,
            byte[] otherKey, Random random) {
        byte[] bytes = switch (kind) {
            case GADGET_STREAM -> Gadgets.stream();
            case COMMONS_COLLECTIONS_STREAM ->
                    Gadgets.stream("org.apache.commons.collections.functors.InvokerTransformer");
            case FORGED_ENTRY_WITH_GADGET -> ATTACKER.write(digest,
                    entry.withPayload(Payload.ofBytes(Gadgets.stream())));
            case GADGET_SPLICED_AFTER_HEADER -> spliceAfterHeader(valid, Gadgets.stream());
            case BIT_FLIPS -> flip(valid, 1 + random.nextInt(8), random);
            case TRUNCATED -> Arrays.copyOf(valid, random.nextInt(valid.length));
            case EXTENDED -> concat(valid, Gadgets.stream());
            case SPLICED_WITH_OTHER_KEY -> {
                int cut = random.nextInt(Math.min(valid.length, otherKey.length));
                yield concat(Arrays.copyOf(valid, cut),
                        Arrays.copyOfRange(otherKey, cut, otherKey.length));
            }
            case OTHER_KEYS_ENTRY -> otherKey.clone();
            case OTHER_SECRET -> ATTACKER.write(digest, entry);
            case RANDOM_BYTES -> {
                byte[] junk = new byte[random.nextInt(4_000)];
                random.nextBytes(junk);
                yield junk;
            }
            case EMPTY -> new byte[0];
        };
        return Arrays.equals(bytes, valid) ? flip(valid, 1, random) : bytes;
    }

    /** All kinds, for tests that go through them in turn. */
    public static List<Kind> kinds() {
        return List.of(Kind.values());
    }

    private static byte[] flip(byte[] bytes, int bits, Random random) {
        byte[] flipped = bytes.clone();
        for (int i = 0; i < bits; i++) {
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return Arrays.equals(flipped, bytes) ? flip(bytes, 1, random) : flipped;
    }

    /**
     * The first 37 bytes of {@code entry} (magic, version, times: what a sniffing reader checks),
     * then {@code payload}, then a checksum recomputed by {@code EntryFormat}'s rule and a zero
     * HMAC: only the HMAC can tell it from a real entry.
     */
    private static byte[] spliceAfterHeader(byte[] entry, byte[] payload) {
        int header = 4 + 1 + 8 * 4;
        ByteBuffer out = ByteBuffer.allocate(header + 2 + 4 + payload.length + 4 + 32);
        out.put(entry, 0, header).putShort((short) 0).putInt(payload.length).put(payload);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
