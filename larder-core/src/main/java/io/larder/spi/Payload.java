package io.larder.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An entry's value, as bytes, as a decoded object, or both: stores that keep objects (memory)
 * never pay for encoding, stores that keep bytes encode once, and a value read from bytes is
 * decoded once and then kept decoded in the memory tier. Thread-safe.
 */
public final class Payload {
    private record Decoded(Type type, Object value) { }

    private volatile byte[] bytes;
    private volatile Decoded decoded;
    private final Codec codec;

    private Payload(byte[] bytes, Decoded decoded, Codec codec) {
        this.bytes = bytes;
        this.decoded = decoded;
        this.codec = codec;
    }

    /** A payload read from a store that keeps bytes. */
    public static Payload ofBytes(byte[] bytes) {
        return new Payload(Objects.requireNonNull(bytes, "bytes"), null, null);
    }

    /** A payload of a value; its bytes are encoded with {@code codec} when first asked for. */
    public static Payload ofValue(Object value, Type type, Codec codec) {
        return new Payload(null, new Decoded(type, value), Objects.requireNonNull(codec, "codec"));
    }

    /**
     * The encoded bytes; encodes the value on first call.
     *
     * @throws UncheckedIOException if the value cannot be encoded
     */
    public byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
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
        return bytes != null;
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
        Object value = codec.get().decode(bytes(), type);
        decoded = new Decoded(type, value);
        return value;
    }

    /** The size of the bytes, or -1 if the payload was never encoded. */
    public int byteSize() {
        byte[] b = bytes;
        return b == null ? -1 : b.length;
    }
}
