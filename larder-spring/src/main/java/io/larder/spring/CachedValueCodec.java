package io.larder.spring;

import io.larder.spi.Codec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The codec of a Spring cache's region: a {@link CachedValue} becomes its type's name then the
 * value as the region's own codec encodes it with that type (Larder's JSON codec by default, whose
 * shape fingerprint turns a changed class into a miss). Reading back resolves the name only
 * through the manager's {@link ValueTypes}: types that this JVM's cached methods return or that
 * it stored, and JDK value types. The bytes never make this JVM load a class by name, and Java
 * serialization is never used. Other values of the region go to the region's own codec.
 */
final class CachedValueCodec implements Codec {
    private final Codec values;
    private final ValueTypes types;

    CachedValueCodec(Codec values, ValueTypes types) {
        this.values = values;
        this.types = types;
    }

    /** The codec values are encoded with, inside the envelope. */
    Codec values() {
        return values;
    }

    @Override
    public byte[] encode(Object value, Type type) throws IOException {
        if (type != CachedValue.class) {
            return values.encode(value, type);
        }
        CachedValue cached = (CachedValue) value;
        if (cached.value() == null) {
            return new byte[2];
        }
        String name = types.nameOf(cached.type());
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 0xFFFF) {
            throw new IOException("type name too long: " + name.substring(0, 80) + "...");
        }
        byte[] body = values.encode(cached.value(), cached.type());
        return ByteBuffer.allocate(2 + nameBytes.length + body.length)
                .putShort((short) nameBytes.length).put(nameBytes).put(body).array();
    }

    @Override
    public Object decode(byte[] bytes, Type type) throws IOException {
        if (type != CachedValue.class) {
            return values.decode(bytes, type);
        }
        if (bytes.length < 2) {
            throw new IOException("not a Spring cache entry");
        }
        int length = ByteBuffer.wrap(bytes).getShort() & 0xFFFF;
        if (length == 0) {
            return CachedValue.NULL;
        }
        if (bytes.length < 2 + length) {
            throw new IOException("not a Spring cache entry");
        }
        String name = new String(bytes, 2, length, StandardCharsets.UTF_8);
        Type valueType = types.resolve(name);
        Object value = values.decode(Arrays.copyOfRange(bytes, 2 + length, bytes.length),
                valueType);
        return new CachedValue(value, valueType);
    }
}
