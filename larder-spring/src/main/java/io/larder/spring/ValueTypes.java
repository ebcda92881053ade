package io.larder.spring;

import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;
import org.springframework.core.ResolvableType;

/**
 * The types values of a {@link LarderCacheManager}'s caches are encoded as, and the only types
 * their bytes are read back as: a cached method's generic return type (registered when the method
 * first runs), a type this JVM stored, and JDK value types. A name in stored bytes that none of
 * them has is a miss, never a class loaded by name.
 */
final class ValueTypes {
    private static final Set<Class<?>> JDK_VALUES = Set.of(String.class, Long.class,
            Integer.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class,
            Character.class, BigDecimal.class, BigInteger.class, UUID.class, byte[].class);

    private final ConcurrentMap<String, Type> known = new ConcurrentHashMap<>();

    ValueTypes() {
        JDK_VALUES.forEach(this::register);
    }

    /** Registers {@code type} (fully specified) so that bytes naming it can be read back. */
    Type register(Type type) {
        known.putIfAbsent(type.getTypeName(), type);
        return type;
    }

    /** The name {@code type} is written under; registers it. */
    String nameOf(Type type) throws IOException {
        if (!fullySpecified(type)) {
            throw new IOException("a value of " + type.getTypeName() + " has no element types"
                    + " to be read back as: cache it through an annotated method (whose return"
                    + " type names them) or LarderCache.typed(...)");
        }
        register(type);
        return type.getTypeName();
    }

    /** The type registered under {@code name}. */
    Type resolve(String name) throws IOException {
        Type type = known.get(name);
        if (type == null) {
            if (name.startsWith("java.time.") && name.indexOf('<') < 0) {
                try {
                    return register(Class.forName(name, false, null));
                } catch (ClassNotFoundException e) {
                    throw new IOException("no JDK class " + name, e);
                }
            }
            throw new IOException("a value of " + name + " is read back only in a JVM whose"
                    + " cached methods return that type, or that stored one");
        }
        return type;
    }

    /**
     * The type a cached method's value is encoded as: its generic return type resolved against
     * the target class, without {@code Optional}, {@code CompletableFuture} or Reactor's
     * {@code Mono} around it ({@code Flux<T>}: {@code List<T>}, which Spring caches); {@code null}
     * when it is not fully specified (the value's class is used then).
     */
    static Type returnType(Method method, Class<?> targetClass) {
        ResolvableType type = ResolvableType.forMethodReturnType(method, targetClass);
        Class<?> raw = type.resolve();
        if (raw == null || raw.isPrimitive() || raw == Void.class) {
            return null; // void methods (evictions), and primitives: the value's class is exact
        }
        if (raw != null && (raw == Optional.class || CompletionStage.class.isAssignableFrom(raw)
                || Future.class.isAssignableFrom(raw)
                || raw.getName().equals("reactor.core.publisher.Mono"))) {
            type = type.getGeneric(0);
        } else if (raw != null && raw.getName().equals("reactor.core.publisher.Flux")) {
            type = ResolvableType.forClassWithGenerics(List.class, type.getGeneric(0));
        }
        Type resolved = type.hasUnresolvableGenerics() || type.resolve() == null ? null
                : type.getType();
        if (resolved instanceof ParameterizedType || resolved instanceof Class<?>) {
            return fullySpecified(resolved) ? resolved : null;
        }
        return null; // a type variable ResolvableType could not pin down, or a wildcard
    }

    /**
     * The type {@code value} is encoded as: {@code declared} (a method's return type) where it
     * describes the value exactly (the same class, or a JDK collection interface the value
     * implements), else the value's own class.
     */
    static Type typeFor(Type declared, Object value) {
        Class<?> actual = value.getClass();
        if (declared == null) {
            return actual;
        }
        Class<?> raw = ResolvableType.forType(declared).resolve();
        if (raw == actual) {
            return declared;
        }
        boolean jdkCollection = raw == List.class || raw == Collection.class || raw == Set.class
                || raw == Map.class;
        if (jdkCollection && raw.isInstance(value) && actual.getName().startsWith("java.")) {
            return declared;
        }
        return actual;
    }

    /** Whether {@code type} has no raw generic class, type variable or wildcard in it. */
    static boolean fullySpecified(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? fullySpecified(c.getComponentType())
                    : c.getTypeParameters().length == 0;
        }
        if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                if (!fullySpecified(arg)) {
                    return false;
                }
            }
            return true;
        }
        if (type instanceof GenericArrayType a) {
            return fullySpecified(a.getGenericComponentType());
        }
        return false;
    }
}
