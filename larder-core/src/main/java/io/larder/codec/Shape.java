package io.larder.codec;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A fingerprint of a type's shape: its name, its fields' names and types, recursively. */
final class Shape {
    private static final ConcurrentMap<Type, Long> FINGERPRINTS = new ConcurrentHashMap<>();

    private Shape() {
    }

    static long fingerprint(Type type) {
        Long cached = FINGERPRINTS.get(type);
        if (cached != null) {
            return cached;
        }
        StringBuilder description = new StringBuilder();
        describe(type, description, new HashSet<>());
        long fingerprint = hash(description.toString());
        FINGERPRINTS.put(type, fingerprint);
        return fingerprint;
    }

    /**
     * The fingerprint of {@code type} written in a binary form whose layout is named
     * {@code layout}: another than the type's JSON fingerprint, and another for each layout.
     */
    static long fingerprint(Type type, String layout) {
        return hash(describe(type) + " as " + layout);
    }

    /** The description hashed by {@link #fingerprint}, for tests and debugging. */
    static String describe(Type type) {
        StringBuilder description = new StringBuilder();
        describe(type, description, new HashSet<>());
        return description.toString();
    }

    private static void describe(Type type, StringBuilder out, Set<Class<?>> seen) {
        if (type instanceof ParameterizedType p) {
            describe(p.getRawType(), out, seen);
            out.append('<');
            for (Type arg : p.getActualTypeArguments()) {
                describe(arg, out, seen);
                out.append(',');
            }
            out.append('>');
        } else if (type instanceof GenericArrayType a) {
            describe(a.getGenericComponentType(), out, seen);
            out.append("[]");
        } else if (type instanceof Class<?> c) {
            describeClass(c, out, seen);
        } else {
            out.append(type.getTypeName()); // type variables and wildcards: by name
        }
    }

    private static void describeClass(Class<?> c, StringBuilder out, Set<Class<?>> seen) {
        if (c.isArray()) {
            describe(c.getComponentType(), out, seen);
            out.append("[]");
            return;
        }
        out.append(c.getName());
        if (c.isPrimitive() || c.getName().startsWith("java.") || !seen.add(c)) {
            return;
        }
        if (c.isEnum()) {
            out.append(Arrays.toString(c.getEnumConstants()));
            return;
        }
        out.append('{');
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                out.append(component.getName()).append(':');
                describe(component.getGenericType(), out, seen);
                out.append(';');
            }
        } else {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                Field[] fields = k.getDeclaredFields();
                Arrays.sort(fields, (a, b) -> a.getName().compareTo(b.getName()));
                for (Field field : fields) {
                    int mod = field.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod)
                            || field.isSynthetic()) {
                        continue;
                    }
                    out.append(field.getName()).append(':');
                    describe(field.getGenericType(), out, seen);
                    out.append(';');
                }
            }
        }
        out.append('}');
    }

    private static long hash(String description) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256")
                    .digest(description.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
