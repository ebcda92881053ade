package io.larder.jcache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import javax.cache.CacheException;

/**
 * Store-by-value copies, made and used inside this JVM only: immutable values are shared,
 * arrays cloned, other values copied through an in-memory serialization round trip that may
 * only recreate the classes it has just written (an input filter rejects any other), or through
 * JSON for values that are not {@link Serializable}. Bytes that reach a store never come here.
 */
final class Copier {
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Long.class,
            Integer.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class,
            Character.class, BigDecimal.class, BigInteger.class, UUID.class, URI.class,
            Class.class);
    /** Whether values of a class are immutable and so shared, decided once per class. */
    private static final ClassValue<Boolean> SHARED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return IMMUTABLE.contains(type) || type.isEnum()
                    || type.getName().startsWith("java.time.")
                    || (type.getSuperclass() != null && type.getSuperclass().isEnum());
        }
    };

    private final ClassLoader classLoader;

    Copier(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** A copy of {@code value} that shares no mutable state with it. */
    Object copy(Object value) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type == String.class || SHARED.get(type)) { // the commonest value, without a lookup
            return value;
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof Serializable) {
            return roundTrip(value);
        }
        try {
            return KeyForm.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new CacheException("cannot copy a " + type.getName() + " for store-by-value:"
                    + " make it Serializable or a JSON bean, or configure store-by-reference", e);
        }
    }

    /**
     * The classes just written, and arrays of them or of objects (collections read those), and
     * the JDK's immutable value types, which are written as a serial proxy ({@code java.time}'s
     * {@code Ser}) and read back as themselves.
     */
    private static boolean allowed(Class<?> type, Set<String> written) {
        if (type == null || written.contains(type.getName()) || IMMUTABLE.contains(type)
                || type.getName().startsWith("java.time.")) {
            return true;
        }
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        return element != type && (element.isPrimitive() || element == Object.class
                || written.contains(element.getName()));
    }

    private Object roundTrip(Object value) {
        Set<String> written = new HashSet<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(buffer) {
            @Override
            protected void annotateClass(Class<?> type) {
                written.add(type.getName());
            }
        }) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new CacheException("cannot copy a " + value.getClass().getName(), e);
        }
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(buffer.toByteArray())) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc)
                    throws IOException, ClassNotFoundException {
                if (!written.contains(desc.getName())) {
                    throw new InvalidClassException(desc.getName(), "not written by this copy");
                }
                try {
                    return Class.forName(desc.getName(), false, classLoader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            Set<String> rejected = new HashSet<>();
            in.setObjectInputFilter(info -> {
                if (allowed(info.serialClass(), written)) {
                    return ObjectInputFilter.Status.UNDECIDED;
                }
                rejected.add(info.serialClass().getName());
                return ObjectInputFilter.Status.REJECTED;
            });
            try {
                return in.readObject();
            } catch (InvalidClassException e) {
                throw new CacheException("cannot copy a " + value.getClass().getName()
                        + (rejected.isEmpty() ? "" : ": it reads back " + rejected
                                + ", which it did not write"), e);
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new CacheException("cannot copy a " + value.getClass().getName(), e);
        }
    }
}
