package io.larder.spring.boot.autoconfigure.web;

import io.larder.servlet.PageCacheFilter;

/**
 * Adjusts the auto-configured page-cache filter before it is built, after the
 * {@code larder.web.page.*} properties were applied: for settings that are code, such as
 * {@link PageCacheFilter.Builder#tagsFrom} or a {@link PageCacheFilter.Builder#vary(String,
 * java.util.function.UnaryOperator) normalised Vary header}. Every such bean is applied, in order.
 */
@FunctionalInterface
public interface LarderPageCacheCustomizer {
    /** Adjusts {@code builder}. */
    void customize(PageCacheFilter.Builder builder);
}
