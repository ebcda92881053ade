package io.larder.servlet;

import java.util.List;
import java.util.Map;

/**
 * What one render of a page made, as a render request answers it (JSON): the page, or why it
 * may not be kept; the tags of the cached values it read (with their generations) and those it
 * named; and the key the page server computed for the request, to check that it is the one asked
 * for.
 *
 * @param page the page to keep, or {@code null} when refused
 * @param refused why the response may not be kept, or {@code null}
 * @param read the tags of the cached values read, with the generations they were read under
 * @param named the tags named while rendering
 * @param key the page's key as the serving filter computed it ({@code Key.encode()})
 */
record Rendered(CachedResponse page, String refused, Map<String, Long> read, List<String> named,
        String key) {
    Rendered {
        read = read == null ? Map.of() : Map.copyOf(read);
        named = named == null ? List.of() : List.copyOf(named);
    }

    static Rendered refused(String why, String key) {
        return new Rendered(null, why, Map.of(), List.of(), key);
    }
}
