package io.larder.jcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.larder.codec.JsonCodec;
import io.larder.spi.Codec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a JCache entry becomes bytes in a store that keeps bytes (file, Redis): JSON with the
 * key's and the value's class names, read back only into classes on an allowlist (JDK value
 * types, the caches' configured key and value types, and the types or packages named in
 * {@code larder.types}), so that stored bytes can never make this JVM load a class it was not
 * told to. Java serialization is never used. Other values go through Larder's {@link JsonCodec}.
 */
final class HeldCodec implements Codec {
    private static final Set<String> JDK_VALUES = Set.of("java.lang.String", "java.lang.Long",
            "java.lang.Integer", "java.lang.Short", "java.lang.Byte", "java.lang.Double",
            "java.lang.Float", "java.lang.Boolean", "java.lang.Character", "java.math.BigDecimal",
            "java.math.BigInteger", "java.util.UUID", "java.util.Date", "[B");

    private final ClassLoader classLoader;
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private final List<String> packages;

    /**
     * A codec that reads back the JDK value types and {@code types}: class names, or package
     * prefixes ending in {@code .*}.
     */
    HeldCodec(ClassLoader classLoader, List<String> types) {
        this.classLoader = classLoader;
        this.packages = types.stream().filter(t -> t.endsWith(".*"))
                .map(t -> t.substring(0, t.length() - 1)).toList();
        types.stream().filter(t -> !t.endsWith(".*")).forEach(allowed::add);
    }

    /** Allows {@code type} (a cache's configured key or value type) to be read back. */
    void allow(Class<?> type) {
        if (type != Object.class) {
            allowed.add(type.getName());
        }
    }

    @Override
    public byte[] encode(Object value, Type type) throws IOException {
        if (!(value instanceof Held held)) {
            return JsonCodec.standard().encode(value, type);
        }
        ObjectNode node = KeyForm.MAPPER.createObjectNode();
        node.put("kc", held.key().getClass().getName());
        node.set("k", KeyForm.MAPPER.valueToTree(held.key()));
        node.put("vc", held.value().getClass().getName());
        node.set("v", KeyForm.MAPPER.valueToTree(held.value()));
        node.put("x", held.expireAt());
        return KeyForm.MAPPER.writeValueAsBytes(node);
    }

    @Override
    public Object decode(byte[] bytes, Type type) throws IOException {
        if (type != Held.class) {
            return JsonCodec.standard().decode(bytes, type);
        }
        JsonNode node = KeyForm.MAPPER.readTree(bytes);
        if (node == null || !node.isObject() || !node.path("x").canConvertToLong()) {
            throw new IOException("not a JCache entry");
        }
        Object key = read(node.path("kc").asText(), node.get("k"));
        Object value = read(node.path("vc").asText(), node.get("v"));
        if (key == null || value == null) {
            throw new IOException("a JCache entry without key or value");
        }
        return new Held(key, value, node.get("x").asLong());
    }

    private Object read(String className, JsonNode json) throws IOException {
        if (!allowed(className)) {
            throw new IOException("class " + className + " is not allowed in this cache;"
                    + " name it in larder.types or as the cache's key or value type");
        }
        Class<?> type;
        try {
            type = className.equals("[B") ? byte[].class
                    : Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException e) {
            throw new IOException("class " + className + " is not on the class path", e);
        }
        return KeyForm.MAPPER.treeToValue(json, type);
    }

    private boolean allowed(String className) {
        if (JDK_VALUES.contains(className) || className.startsWith("java.time.")
                || allowed.contains(className)) {
            return true;
        }
        for (String prefix : packages) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
