package io.larder.javalin;

import java.util.List;
import java.util.Map;

/**
 * A page rendered for the cache, with the tags its render picked up; also the body of the answer
 * to a re-render request.
 *
 * @param page the page, or {@code null} if it may not be cached
 * @param uncacheable why the page may not be cached, or {@code null}
 * @param inherited tags of cached entries read while rendering, with their generations
 * @param named tags named while rendering
 */
record Rendered(CachedPage page, String uncacheable, Map<String, Long> inherited,
        List<String> named) {

    Rendered {
        inherited = inherited == null ? Map.of() : Map.copyOf(inherited);
        named = named == null ? List.of() : List.copyOf(named);
    }

    static Rendered refused(String why) {
        return new Rendered(null, why, Map.of(), List.of());
    }
}
