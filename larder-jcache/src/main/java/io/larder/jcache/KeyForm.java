package io.larder.jcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Base64;
import java.util.UUID;

/**
 * The string form of a JCache key, the one part of its Larder key. Keys that differ must never
 * share a form (that would serve one key's value for another); equal keys should share one (or
 * they miss). Strings, numbers and other JDK values are their class and value; other
 * {@link Serializable} keys the Base64 of their serialized form (every field counts; nothing is
 * ever deserialized from it); other keys their JSON, or else their own {@code toString()}. Keys
 * are never turned into paths: the Larder key's digest is.
 */
final class KeyForm {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private KeyForm() {
    }

    /** The form of {@code key}. */
    static String of(Object key) {
        if (key instanceof String s) {
            return "s" + s;
        }
        if (key instanceof Long n) {
            return "l" + n;
        }
        if (key instanceof Integer n) {
            return "i" + n;
        }
        Class<?> type = key.getClass();
        if (key instanceof Number && type.getName().startsWith("java.")
                || key instanceof Boolean || key instanceof Character || key instanceof UUID
                || key instanceof Enum<?> || type.getName().startsWith("java.time.")) {
            return "v" + type.getName() + ":" + key;
        }
        if (key instanceof Serializable) {
            return "x" + type.getName() + ":" + serialized(key);
        }
        try {
            return "j" + type.getName() + ":" + MAPPER.writeValueAsString(key);
        } catch (JsonProcessingException | RuntimeException e) {
            if (ownToString(type)) {
                return "t" + type.getName() + ":" + key;
            }
            throw new IllegalArgumentException("a key of " + type.getName() + " is neither"
                    + " Serializable nor JSON nor has a toString() of its own, so it cannot be"
                    + " a cache key", e);
        }
    }

    private static String serialized(Object key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(key);
        } catch (IOException e) {
            throw new IllegalArgumentException("a key of " + key.getClass().getName()
                    + " cannot be serialized, so it cannot be a cache key", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static boolean ownToString(Class<?> type) {
        try {
            return type.getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException impossible) {
            return false;
        }
    }
}
