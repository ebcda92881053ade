package io.larder.spi;

import io.larder.spi.BadEntryException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte form of an entry, shared by every store that keeps bytes (file, Redis), so that one
 * owner reads and writes it:
 *
 * <pre>
 * magic "LRDR" | version u8 | createdAt i64 | freshUntil i64 | usableUntil i64 | computeNanos i64
 * | tag count u16 | (tag length u16, tag UTF-8, generation i64)* | payload length i32 | payload
 * | CRC32C i32 of all before | HMAC-SHA256 (32 bytes) of the key's digest and all before
 * </pre>
 *
 * The checksum tells damage from forgery; the HMAC, bound to the key, is checked before the
 * payload is handed to any decoder, so an entry written without the secret, or copied from
 * another key, is rejected. Thread-safe.
 */
public final class EntryFormat {
    /** The first bytes of every entry. */
    public static final int MAGIC = 0x4C524452; // "LRDR"
    /** The format version written. */
    public static final int VERSION = 1;
    /** How many leading bytes {@link #peekUsableUntil(byte[], int)} needs. */
    public static final int PEEK_LENGTH = 4 + 1 + 8 * 3;
    private static final int FIXED_HEADER = 4 + 1 + 8 * 4 + 2;
    private static final int MAC_LENGTH = 32;
    private static final int MIN_LENGTH = FIXED_HEADER + 4 + 4 + MAC_LENGTH;

    private final SecretKeySpec secret;
    private final ThreadLocal<Mac> macs;

    /** A format that authenticates with {@code secret} (at least 16 bytes). */
    public EntryFormat(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the HMAC secret must have at least 16 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** The bytes of {@code entry}, stored under the key with digest {@code keyDigest}. */
    public byte[] write(String keyDigest, StoredEntry entry) {
        byte[] payload = entry.payload().bytes();
        List<String> tags = entry.tags();
        long[] generations = entry.generations();
        List<byte[]> tagBytes = new ArrayList<>(tags.size());
        int size = FIXED_HEADER + 4 + payload.length + 4 + MAC_LENGTH;
        for (String tag : tags) {
            byte[] b = tag.getBytes(StandardCharsets.UTF_8);
            tagBytes.add(b);
            size += 2 + b.length + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put((byte) VERSION)
                .putLong(entry.createdAt()).putLong(entry.freshUntil())
                .putLong(entry.usableUntil()).putLong(entry.computeNanos())
                .putShort((short) tags.size());
        for (int i = 0; i < tags.size(); i++) {
            out.putShort((short) tagBytes.get(i).length).put(tagBytes.get(i))
                    .putLong(generations[i]);
        }
        out.putInt(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        out.put(mac(keyDigest, out.array(), out.position()));
        return out.array();
    }

    /**
     * The entry in {@code bytes}, stored under the key with digest {@code keyDigest}; its payload
     * is a range of {@code bytes}, which the caller must not change afterwards.
     *
     * @throws BadEntryException if the bytes are damaged, foreign, of another version, or not
     *     authentic; nothing of the payload has been decoded then
     */
    public StoredEntry read(String keyDigest, byte[] bytes) throws BadEntryException {
        checkHead(bytes);
        int macStart = bytes.length - MAC_LENGTH;
        int crcStart = macStart - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, crcStart);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, crcStart, 4).getInt()) {
            throw new BadEntryException(Reason.CHECKSUM, "checksum mismatch");
        }
        byte[] expected = mac(keyDigest, bytes, macStart);
        byte[] actual = new byte[MAC_LENGTH];
        System.arraycopy(bytes, macStart, actual, 0, MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new BadEntryException(Reason.FORGED, "HMAC mismatch");
        }
        return parse(bytes);
    }

    /**
     * As {@link #read}, for bytes that {@link #read} has already authenticated under the same key
     * in this process and that the caller has proved unchanged since (a store that checks a
     * file's identity): the checksum and HMAC are not computed again. Never call it on bytes
     * whose provenance is not proved so: they would be decoded unauthenticated.
     */
    public StoredEntry readAuthenticated(byte[] bytes) throws BadEntryException {
        checkHead(bytes);
        return parse(bytes);
    }

    private static void checkHead(byte[] bytes) throws BadEntryException {
        if (bytes.length < MIN_LENGTH) {
            if (bytes.length >= 4 && ByteBuffer.wrap(bytes).getInt() != MAGIC) {
                throw new BadEntryException(Reason.FOREIGN, "not a Larder entry");
            }
            throw new BadEntryException(Reason.TRUNCATED, bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw new BadEntryException(Reason.FOREIGN, "not a Larder entry");
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new BadEntryException(Reason.VERSION,
                    "version " + version + ", expected " + VERSION);
        }
    }

    /** The entry in authentic bytes: the checks here only guard against a writer's bug. */
    private static StoredEntry parse(byte[] bytes) throws BadEntryException {
        int crcStart = bytes.length - MAC_LENGTH - 4;
        ByteBuffer in = ByteBuffer.wrap(bytes, 4 + 1, bytes.length - 5);
        long createdAt = in.getLong();
        long freshUntil = in.getLong();
        long usableUntil = in.getLong();
        long computeNanos = in.getLong();
        int tagCount = in.getShort() & 0xffff;
        List<String> tags = new ArrayList<>(Math.min(tagCount, 64));
        long[] generations = new long[tagCount];
        for (int i = 0; i < tagCount; i++) {
            int length = need(in, 2, crcStart) ? in.getShort() & 0xffff : -1;
            if (length < 0 || !need(in, length + 8, crcStart)) {
                throw new BadEntryException(Reason.FOREIGN, "tag " + i + " does not fit");
            }
            tags.add(new String(bytes, in.position(), length, StandardCharsets.UTF_8));
            in.position(in.position() + length);
            generations[i] = in.getLong();
        }
        int payloadLength = need(in, 4, crcStart) ? in.getInt() : -1;
        if (payloadLength < 0 || in.position() + payloadLength != crcStart) {
            throw new BadEntryException(Reason.FOREIGN, "payload length does not fit");
        }
        if (usableUntil < freshUntil) {
            throw new BadEntryException(Reason.FOREIGN, "usableUntil before freshUntil");
        }
        // The payload where it lies: the entry keeps the bytes it was read from.
        return new StoredEntry(Payload.ofBytes(bytes, in.position(), payloadLength), createdAt,
                freshUntil, usableUntil, computeNanos, tags, generations);
    }

    /**
     * The usable-until time (epoch ms) in the first {@code length} bytes of an entry, read without
     * authenticating anything: for a store's sweeper, to delete expired entries without reading
     * them whole. {@link Long#MIN_VALUE} if these bytes are not the start of an entry of this
     * version.
     */
    public static long peekUsableUntil(byte[] head, int length) {
        if (length < PEEK_LENGTH || head.length < PEEK_LENGTH) {
            return Long.MIN_VALUE;
        }
        ByteBuffer in = ByteBuffer.wrap(head);
        if (in.getInt() != MAGIC || (in.get() & 0xff) != VERSION) {
            return Long.MIN_VALUE;
        }
        return in.getLong(4 + 1 + 8 * 2);
    }

    private static boolean need(ByteBuffer in, int count, int limit) {
        return count >= 0 && in.position() + count <= limit;
    }

    private byte[] mac(String keyDigest, byte[] data, int length) {
        Mac mac = macs.get();
        mac.update(keyDigest.getBytes(StandardCharsets.US_ASCII));
        mac.update(data, 0, length);
        return mac.doFinal();
    }
}
