package io.larder.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.larder.spi.Codec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The standard codec: strings as UTF-8 and byte arrays as they are (a null string as one byte
 * that UTF-8 never uses); every other value (records,
 * DTOs, lists and maps of them) as JSON with Jackson, read back into the type the caller names.
 *
 * <p>JSON values start with an 8-byte fingerprint of their type's shape (its fields and their
 * types, recursively), so a value written before its class changed shape decodes as a miss
 * instead of a half-filled object. Jackson's polymorphic typing is never turned on: the bytes
 * cannot name a class to load.
 */
public final class JsonCodec implements Codec {
    /** A null string: one byte that never occurs in UTF-8. */
    private static final byte[] NULL_STRING = {(byte) 0xFF};
    private static final JsonCodec STANDARD = new JsonCodec(defaultMapper());

    private final ObjectMapper mapper;
    private final ConcurrentMap<Type, JavaType> javaTypes = new ConcurrentHashMap<>();

    private JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The codec with Larder's default Jackson settings (java.time, parameter names, strict). */
    public static JsonCodec standard() {
        return STANDARD;
    }

    /** A codec on the caller's own mapper (which must not enable default typing). */
    public static JsonCodec using(ObjectMapper mapper) {
        return new JsonCodec(mapper.copy());
    }

    private static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new ParameterNamesModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    @Override
    public byte[] encode(Object value, Type type) throws IOException {
        if (type == String.class) {
            return value == null ? NULL_STRING.clone()
                    : ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (type == byte[].class) {
            if (value == null) {
                throw new IOException("a null byte[] cannot be stored as bytes");
            }
            return (byte[]) value;
        }
        byte[] json = mapper.writerFor(javaType(type)).writeValueAsBytes(value);
        return ByteBuffer.allocate(8 + json.length).putLong(Shape.fingerprint(type)).put(json)
                .array();
    }

    @Override
    public Object decode(byte[] bytes, Type type) throws IOException {
        if (type == String.class) {
            return Arrays.equals(bytes, NULL_STRING) ? null
                    : new String(bytes, StandardCharsets.UTF_8);
        }
        if (type == byte[].class) {
            return bytes;
        }
        if (bytes.length < 8 || ByteBuffer.wrap(bytes).getLong() != Shape.fingerprint(type)) {
            throw new IOException("stored value is not of the shape of " + type.getTypeName());
        }
        return mapper.readerFor(javaType(type)).readValue(bytes, 8, bytes.length - 8);
    }

    private JavaType javaType(Type type) {
        return javaTypes.computeIfAbsent(type, t -> mapper.getTypeFactory().constructType(t));
    }
}
