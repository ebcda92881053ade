package io.larder.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A request header that is part of every page's key, as its normaliser makes it. */
record KeyedHeader(String name, UnaryOperator<String> normalise) {
    /**
     * @throws IllegalArgumentException naming it if {@code name} is not a header name, or is
     *     {@code Cookie} or {@code Authorization} (never part of a shared page's key)
     */
    KeyedHeader {
        if (name == null || !name.matches("[A-Za-z0-9-]{1,64}")
                || name.equalsIgnoreCase("Cookie") || name.equalsIgnoreCase("Authorization")) {
            throw new IllegalArgumentException("vary takes a header name other than Cookie"
                    + " and Authorization, was '" + name + "'");
        }
        Objects.requireNonNull(normalise, "normalise");
    }

    /** The names of {@code headers}, in lower case. */
    static Set<String> names(Collection<KeyedHeader> headers) {
        Set<String> names = new HashSet<>();
        headers.forEach(k -> names.add(k.name().toLowerCase(Locale.ROOT)));
        return names;
    }

    /** The header's keyed value in {@code request}. */
    String value(HttpServletRequest request) {
        return normalise.apply(request.getHeader(name));
    }

    /** The keyed value of a header sent as {@code raw} ({@code null}: absent). */
    String valueOf(String raw) {
        return normalise.apply(raw);
    }
}
