package io.larder.spring;

import io.larder.Key;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Turns a Spring cache key ({@code SimpleKey}, a string, a number, whatever a {@code key} SpEL
 * expression gave) into a Larder {@link Key} of the cache's region, deterministically (the same
 * key gives the same parts in every JVM, so file and Redis stores are shared) and injectively
 * (keys that are not equal never share parts): every value contributes a type code then its
 * value, compound values their size then their elements, so {@code ("a,b")} and {@code ("a","b")},
 * {@code 1L} and {@code "1"} stay apart. Sets and maps are sorted by their elements' forms. The
 * parts never become a path or a Redis key: stores use the key's digest.
 *
 * <p>Accepted: {@code null}, strings, boxed primitives, {@code BigDecimal}/{@code BigInteger},
 * {@code UUID}, enums, {@code java.time} values, {@code Date}, {@code Locale}, arrays, lists,
 * sets, maps and records of these, {@code SimpleKey}; any other class only if it has a
 * {@code toString()} of its own, which must then tell unequal keys apart (as Spring's
 * {@code RedisCache} assumes).
 */
final class KeyMapper {
    private static final int MAX_DEPTH = 16;
    private static final MethodHandle SIMPLE_KEY_PARAMS = simpleKeyParams();
    private static final ClassValue<Method[]> RECORD_ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                accessors[i].trySetAccessible();
            }
            return accessors;
        }
    };

    private KeyMapper() {
    }

    /** The Larder key of {@code springKey} in {@code region}. */
    static Key toKey(String region, Object springKey) {
        // The commonest shape in one part, its type code before its value: one string or number
        // (SimpleKeyGenerator's key for a method of one parameter). Every other key has two
        // parts or more, or is null's one part "n", so the forms stay apart.
        if (springKey instanceof String s) {
            return Key.of(region, "s" + s);
        }
        if (springKey instanceof Long n) {
            return Key.of(region, "l" + n.longValue()); // a primitive: one string built
        }
        if (springKey instanceof Integer n) {
            return Key.of(region, "i" + n.intValue());
        }
        List<Object> parts = new ArrayList<>(8);
        append(springKey, parts, 0);
        return Key.of(region, parts);
    }

    private static void append(Object value, List<Object> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("a cache key nests deeper than " + MAX_DEPTH
                    + " levels (a cycle?)");
        }
        if (value == null) {
            out.add("n");
            return;
        }
        String scalar = scalarCode(value);
        if (scalar != null) {
            out.add(scalar);
            out.add(scalarValue(value));
            return;
        }
        if (value instanceof SimpleKey key) {
            compound("K", params(key), out, depth);
        } else if (value instanceof Object[] array) {
            compound("A" + array.getClass().getComponentType().getName(), array, out, depth);
        } else if (value.getClass().isArray()) {
            Object[] boxed = new Object[Array.getLength(value)];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = Array.get(value, i);
            }
            compound("P" + value.getClass().getComponentType().getName(), boxed, out, depth);
        } else if (value instanceof List<?> list) {
            compound("L", list.toArray(), out, depth);
        } else if (value instanceof Set<?> set) {
            compound("S", sorted(set, depth), out, depth);
        } else if (value instanceof Map<?, ?> map) {
            List<Object> entries = new ArrayList<>(map.size());
            map.forEach((k, v) -> entries.add(List.of(k == null ? "n" : k,
                    v == null ? "n" : v)));
            compound("M", sorted(entries, depth), out, depth);
        } else if (value instanceof Record record) {
            Method[] accessors = RECORD_ACCESSORS.get(record.getClass());
            Object[] components = new Object[accessors.length];
            for (int i = 0; i < accessors.length; i++) {
                try {
                    components[i] = accessors[i].invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot read the cache key record "
                            + record.getClass().getName(), e);
                }
            }
            compound("R" + record.getClass().getName(), components, out, depth);
        } else if (ownToString(value.getClass())) {
            out.add("t" + value.getClass().getName());
            out.add(value.toString());
        } else {
            throw new IllegalArgumentException("a cache key of " + value.getClass().getName()
                    + " has no stable form: use strings, numbers, enums, records or collections"
                    + " of them, or give the class a toString() that tells its keys apart");
        }
    }

    private static void compound(String code, Object[] elements, List<Object> out, int depth) {
        out.add(code);
        out.add(elements.length);
        for (Object element : elements) {
            append(element, out, depth + 1);
        }
    }

    /** The elements ordered by their own forms, so that iteration order does not matter. */
    private static Object[] sorted(Collection<?> elements, int depth) {
        List<Object[]> withForms = new ArrayList<>(elements.size());
        for (Object element : elements) {
            List<Object> parts = new ArrayList<>();
            append(element, parts, depth + 1);
            withForms.add(new Object[] {Key.of("k", parts).encode(), element});
        }
        withForms.sort((a, b) -> ((String) a[0]).compareTo((String) b[0]));
        return withForms.stream().map(pair -> pair[1]).toArray();
    }

    private static String scalarCode(Object value) {
        if (value instanceof String) {
            return "s";
        }
        if (value instanceof Long) {
            return "l";
        }
        if (value instanceof Integer) {
            return "i";
        }
        if (value instanceof Short) {
            return "h";
        }
        if (value instanceof Byte) {
            return "b";
        }
        if (value instanceof Double) {
            return "d";
        }
        if (value instanceof Float) {
            return "f";
        }
        if (value instanceof Boolean) {
            return "z";
        }
        if (value instanceof Character) {
            return "c";
        }
        if (value instanceof BigDecimal) {
            return "D";
        }
        if (value instanceof BigInteger) {
            return "I";
        }
        if (value instanceof UUID) {
            return "u";
        }
        if (value instanceof Date) {
            return "T";
        }
        if (value instanceof Locale) {
            return "o";
        }
        if (value instanceof Enum<?> e) {
            return "e" + e.getDeclaringClass().getName();
        }
        if (value.getClass().getName().startsWith("java.time.")) {
            return "j" + value.getClass().getName();
        }
        return null;
    }

    private static String scalarValue(Object value) {
        if (value instanceof Date date) {
            return Long.toString(date.getTime());
        }
        if (value instanceof Locale locale) {
            return locale.toLanguageTag();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value.toString(); // BigDecimal keeps its scale, as its equals does
    }

    private static Object[] params(SimpleKey key) {
        try {
            return (Object[]) SIMPLE_KEY_PARAMS.invokeExact(key);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read SimpleKey's parameters", e);
        }
    }

    private static MethodHandle simpleKeyParams() {
        try {
            return MethodHandles.privateLookupIn(SimpleKey.class, MethodHandles.lookup())
                    .findGetter(SimpleKey.class, "params", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("Spring's SimpleKey has no params field to"
                    + " read its parameters from: " + e);
        }
    }

    private static boolean ownToString(Class<?> type) {
        return OWN_TO_STRING.get(type);
    }

    private static final ClassValue<Boolean> OWN_TO_STRING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("toString").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException impossible) {
                return false;
            }
        }
    };
}
