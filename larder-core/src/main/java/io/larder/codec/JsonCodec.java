package io.larder.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.larder.spi.Codec;
import io.larder.spi.ValueForm;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The standard codec: strings as UTF-8 (a null string as one byte that UTF-8 never uses), byte
 * arrays as they are, every other value (records, DTOs, lists and maps of them) as JSON with
 * Jackson, read back into the type the caller names.
 *
 * <p>Every value starts with an 8-byte fingerprint of its type's shape (its name, its fields and
 * their types, recursively), so a value read as another type than it was written as (a key that
 * held a list and now holds rendered HTML, a class that changed shape) decodes as a miss instead
 * of another type's bytes or a half-filled object. Jackson's polymorphic typing is never turned
 * on: the bytes cannot name a class to load.
 *
 * <p>A type that brings a {@link ValueForm} (a cached page: its body is bytes that JSON would
 * carry as base64) is written in that form instead of JSON, after a fingerprint that also names
 * the form's layout.
 */
public final class JsonCodec implements Codec {
    /** The length of the type fingerprint every value starts with. */
    private static final int FINGERPRINT = 8;
    /** A null string: one byte that never occurs in UTF-8. */
    private static final byte[] NULL_STRING = {(byte) 0xFF};
    private static final JsonCodec STANDARD = new JsonCodec(null);
    private static final AtomicBoolean PREPARING = new AtomicBoolean();

    /** The caller's mapper, or {@code null} for the standard one (made on first use). */
    private final ObjectMapper mapper;
    private final ConcurrentMap<Type, Plan> plans = new ConcurrentHashMap<>();

    private JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The codec with Larder's default Jackson settings (java.time, parameter names, strict).
     * Jackson is set up on the first value that needs JSON: strings and byte arrays never wait
     * for it, and neither does a process that only builds a Larder.
     */
    public static JsonCodec standard() {
        return STANDARD;
    }

    /**
     * Sets Jackson up for the standard codec on a daemon thread, so that the first value that
     * needs JSON finds it ready instead of paying its set-up (about 0.2 s of class loading in a
     * fresh JVM) on a request. {@link io.larder.LarderBuilder#build()} calls this when its
     * default codec is the standard one; further calls do nothing. A value needed before it is
     * done waits for it (class initialisation), it is never set up twice.
     */
    public static void prepareInBackground() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> {
                try {
                    STANDARD.decode(STANDARD.encode(List.of(Map.of("id", 1)), List.class),
                            List.class);
                } catch (IOException | RuntimeException e) {
                    // Not expected; the first real value then sets Jackson up and reports it.
                }
            }, "larder-json-setup");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.start();
        }
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
        byte[] body;
        if (type == String.class) {
            body = value == null ? NULL_STRING : ((String) value).getBytes(StandardCharsets.UTF_8);
        } else if (type == byte[].class) {
            if (value == null) {
                throw new IOException("a null byte[] cannot be stored as bytes");
            }
            body = (byte[]) value;
        } else {
            Plan plan = plan(type);
            if (plan.form() != null) {
                if (value == null) {
                    throw new IOException("a null " + type.getTypeName() + " has no value form");
                }
                ValueForm.Writer out = new ValueForm.Writer(FINGERPRINT + 256)
                        .writeLong(plan.fingerprint());
                plan.form().write(value, out);
                return out.toByteArray();
            }
            return prefixed(plan.fingerprint(), mapper().writerFor(plan.javaType())
                    .writeValueAsBytes(value));
        }
        return prefixed(Shape.fingerprint(type), body);
    }

    private static byte[] prefixed(long fingerprint, byte[] body) {
        return ByteBuffer.allocate(FINGERPRINT + body.length).putLong(fingerprint).put(body)
                .array();
    }

    @Override
    public Object decode(byte[] bytes, Type type) throws IOException {
        return decode(bytes, 0, bytes.length, type);
    }

    /** As {@link #decode(byte[], Type)}, reading the range where it lies (no copy of it). */
    @Override
    public Object decode(byte[] bytes, int offset, int length, Type type) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        boolean plain = type == String.class || type == byte[].class;
        Plan plan = plain ? null : plan(type);
        long fingerprint = plain ? Shape.fingerprint(type) : plan.fingerprint();
        if (length < FINGERPRINT
                || ByteBuffer.wrap(bytes, offset, length).getLong() != fingerprint) {
            throw new IOException("stored value was not written as " + type.getTypeName()
                    + " (another type, or its class changed shape)");
        }
        int start = offset + FINGERPRINT;
        int size = length - FINGERPRINT;
        if (type == String.class) {
            return size == 1 && bytes[start] == NULL_STRING[0] ? null
                    : new String(bytes, start, size, StandardCharsets.UTF_8);
        }
        if (type == byte[].class) {
            return Arrays.copyOfRange(bytes, start, start + size);
        }
        if (plan.form() != null) {
            try {
                return plan.form().read(new ValueForm.Reader(bytes, start, size));
            } catch (RuntimeException e) {
                throw new IOException("stored value is not a " + type.getTypeName(), e);
            }
        }
        return mapper().readerFor(plan.javaType()).readValue(bytes, start, size);
    }

    /**
     * How values of {@code type} are written, worked out once per type: with its {@link
     * ValueForm} if one was found (Jackson is then not set up for it), else as JSON.
     */
    private Plan plan(Type type) {
        Plan plan = plans.get(type);
        if (plan == null) {
            @SuppressWarnings("unchecked")
            ValueForm<Object> form = (ValueForm<Object>) Forms.of(type);
            plan = form != null
                    ? new Plan(Shape.fingerprint(type, form.layout()), form, null)
                    : new Plan(Shape.fingerprint(type), null,
                            mapper().getTypeFactory().constructType(type));
            plans.putIfAbsent(type, plan);
        }
        return plan;
    }

    /** A type's fingerprint, and its form or else its Jackson type. */
    private record Plan(long fingerprint, ValueForm<Object> form, JavaType javaType) { }

    private ObjectMapper mapper() {
        return mapper != null ? mapper : StandardMapper.MAPPER;
    }

    /** The standard mapper, made when this class is first used (the holder idiom). */
    private static final class StandardMapper {
        static final ObjectMapper MAPPER = defaultMapper();
    }
}
