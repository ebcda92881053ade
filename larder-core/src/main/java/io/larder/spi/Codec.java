package io.larder.spi;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Arrays;

/**
 * Turns values into bytes and back, for stores that keep bytes. A codec never runs code named by
 * the bytes it reads (no Java serialization, no polymorphic typing from the data).
 */
public interface Codec {
    /** The bytes of {@code value}, declared as {@code type}. */
    byte[] encode(Object value, Type type) throws IOException;

    /**
     * The value of type {@code type} in {@code bytes}.
     *
     * @throws IOException if the bytes are not a value of that type, for example because the
     *     type changed shape since they were written; the caller treats that as a miss
     */
    Object decode(byte[] bytes, Type type) throws IOException;

    /**
     * The value of type {@code type} in {@code length} bytes of {@code bytes} from
     * {@code offset} (a stored entry's payload where it lies in the store's bytes). This default
     * copies the range for {@link #decode(byte[], Type)}; a codec that can read a range in place
     * overrides it.
     *
     * @throws IOException as {@link #decode(byte[], Type)}
     */
    default Object decode(byte[] bytes, int offset, int length, Type type) throws IOException {
        return decode(Arrays.copyOfRange(bytes, offset, offset + length), type);
    }
}
