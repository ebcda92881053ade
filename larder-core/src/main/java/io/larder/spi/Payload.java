package io.larder.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An entry's value, as bytes, as a decoded object, or both: stores that keep objects (memory)
 * never pay for encoding, stores that keep bytes encode once, and a value read from bytes is
 * decoded once and then kept decoded in the memory tier. Bytes read from a store may be a range
 * of a larger array (an entry's payload inside its file's bytes), decoded where they lie. The
 * bytes are never to be modified by whoever asks for them. Thread-safe.
 */
public final class Payload {
    private record Decoded(Type type, Object value) { }

    private volatile byte[] bytes;
    private volatile Decoded decoded;
    private final Codec codec;
    /** A range read from a store ({@link #ofBytes(byte[], int, int)}), or {@code null}. */
    private final byte[] source;
    private final int offset;
    private final int length;

    private Payload(byte[] bytes, Decoded decoded, Codec codec, byte[] source, int offset,
            int length) {
        this.bytes = bytes;
        this.decoded = decoded;
        this.codec = codec;
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    /** A payload read from a store that keeps bytes. */
    public static Payload ofBytes(byte[] bytes) {
        return new Payload(Objects.requireNonNull(bytes, "bytes"), null, null, null, 0, 0);
    }

    /**
     * A payload of {@code length} bytes of {@code bytes} from {@code offset}, read from a store
     * that keeps bytes: decoded where they lie, copied only if {@link #bytes()} is asked for.
     */
    public static Payload ofBytes(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return offset == 0 && length == bytes.length ? ofBytes(bytes)
                : new Payload(null, null, null, bytes, offset, length);
    }

    /** A payload of a value; its bytes are encoded with {@code codec} when first asked for. */
    public static Payload ofValue(Object value, Type type, Codec codec) {
        return new Payload(null, new Decoded(type, value), Objects.requireNonNull(codec, "codec"),
                null, 0, 0);
    }

    /**
     * The encoded bytes; encodes the value (or copies a range) on first call.
     *
     * @throws UncheckedIOException if the value cannot be encoded
     */
    public byte[] bytes() {
        byte[] b = bytes;
        if (b == null && source != null) {
            bytes = b = Arrays.copyOfRange(source, offset, offset + length);
        } else if (b == null) {
            Decoded d = decoded;
            try {
                bytes = b = codec.encode(d.value, d.type);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode a " + d.type.getTypeName(), e);
            }
        }
        return b;
    }

    /** Whether the bytes exist already (no encoding needed to ask for them). */
    public boolean hasBytes() {
        return bytes != null || source != null;
    }

    /**
     * The value as {@code type}: the kept object when it was made or decoded as that type,
     * otherwise decoded from the bytes with {@code codec} and kept.
     *
     * @throws IOException if the bytes do not decode as {@code type}
     */
    public Object value(Type type, Codec codec) throws IOException {
        return value(type, () -> codec);
    }

    /**
     * As {@link #value(Type, Codec)}, asking for the codec only when the bytes must be decoded
     * (a caller that would have to look it up saves that on every read of a kept object).
     *
     * @throws IOException if the bytes do not decode as {@code type}
     */
    public Object value(Type type, Supplier<Codec> codec) throws IOException {
        Decoded d = decoded;
        if (d != null && (d.type == type || d.type.equals(type))) {
            return d.value;
        }
        Object value = source != null ? codec.get().decode(source, offset, length, type)
                : codec.get().decode(bytes(), type);
        decoded = new Decoded(type, value);
        return value;
    }

    /** The size of the bytes, or -1 if the payload was never encoded. */
    public int byteSize() {
        if (source != null) {
            return length;
        }
        byte[] b = bytes;
        return b == null ? -1 : b.length;
    }
}
