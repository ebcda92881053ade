package io.larder.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.UnaryOperator;

/** A request header that is part of every page's key, as its normaliser makes it. */
record KeyedHeader(String name, UnaryOperator<String> normalise) {
    /** The header's keyed value in {@code request}. */
    String value(HttpServletRequest request) {
        return normalise.apply(request.getHeader(name));
    }

    /** The keyed value of a header sent as {@code raw} ({@code null}: absent). */
    String valueOf(String raw) {
        return normalise.apply(raw);
    }
}
