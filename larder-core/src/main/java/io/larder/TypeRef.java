package io.larder;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A value's full generic type, for codecs that need it: {@code new TypeRef<List<PostDto>>() {}}.
 *
 * @param <T> the type captured
 */
public abstract class TypeRef<T> {
    private final Type type;

    /** Captures the type argument of the anonymous subclass. */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType p)) {
            throw new IllegalStateException("TypeRef must be created with a type argument");
        }
        this.type = p.getActualTypeArguments()[0];
    }

    private TypeRef(Type type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** The reference for a plain class. */
    public static <T> TypeRef<T> of(Class<T> type) {
        return new TypeRef<>(type) { };
    }

    /** The captured type. */
    public final Type type() {
        return type;
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof TypeRef<?> r && type.equals(r.type);
    }

    @Override
    public final int hashCode() {
        return type.hashCode();
    }

    @Override
    public final String toString() {
        return type.getTypeName();
    }
}
