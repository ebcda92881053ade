package io.larder.jcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The string form of a JCache key, the one part of its Larder key. Equal keys have equal forms:
 * strings and boxed numbers by their value and type, other keys by their class and their JSON
 * (properties and map entries sorted), or by their own {@code toString()} where they have no
 * JSON form. Keys are never turned into paths: the Larder key's digest is.
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
        String type = key.getClass().getName();
        try {
            return "j" + type + ":" + MAPPER.writeValueAsString(key);
        } catch (JsonProcessingException | RuntimeException e) {
            try {
                if (key.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                    return "t" + type + ":" + key;
                }
            } catch (NoSuchMethodException impossible) {
                // every class has toString()
            }
            throw new IllegalArgumentException("a key of " + type + " has neither a JSON form"
                    + " nor a toString() of its own, so it cannot be a cache key", e);
        }
    }
}
