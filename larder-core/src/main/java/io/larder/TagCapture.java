package io.larder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Captures what a piece of work on this thread read from the cache and the tags it named, so
 * that a load elsewhere (another thread, another process) can carry them with {@link #replay}.
 * Inside a load the engine captures by itself; an integration needs this only when it renders
 * outside the load that stores the result. Close it on the thread that began it.
 *
 * <pre>{@code
 * try (TagCapture capture = TagCapture.begin()) {
 *     html = render(request);
 *     send(html, capture.read(), capture.named());
 * }
 * // where the result is loaded:  TagCapture.replay(read, named);
 * }</pre>
 */
public final class TagCapture implements AutoCloseable {
    private final CurrentLoad scope;
    private boolean closed;

    private TagCapture(CurrentLoad scope) {
        this.scope = scope;
    }

    /** Starts capturing on this thread, within any load or capture already running. */
    public static TagCapture begin() {
        return new TagCapture(CurrentLoad.enter());
    }

    /**
     * The tags of the cached entries read so far, each with the oldest generation it was read
     * under (so a result built from them is a miss after any of them is invalidated).
     */
    public Map<String, Long> read() {
        return Map.copyOf(new LinkedHashMap<>(scope.inherited()));
    }

    /** The tags named so far ({@link Larder#tagCurrentLoad}), by integrations or the app. */
    public Set<String> named() {
        return Set.copyOf(new LinkedHashSet<>(scope.named()));
    }

    /**
     * Passes captured tags to the load running on this thread, if any: the entry it stores
     * carries them, as if it had read and named them itself.
     */
    public static void replay(Map<String, Long> read, Collection<String> named) {
        List<String> tags = List.copyOf(read.keySet());
        long[] generations = new long[tags.size()];
        for (int i = 0; i < generations.length; i++) {
            generations[i] = read.get(tags.get(i));
        }
        for (String tag : named) {
            Options.checkTag(tag);
        }
        CurrentLoad.inherit(tags, generations);
        CurrentLoad.tag(named.toArray(String[]::new));
    }

    /**
     * Ends the capture; the load or capture it began in, if any, is current again and carries
     * what this one captured too (capturing never hides tags from an enclosing load).
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            scope.exit();
            replay(scope.inherited(), scope.named());
        }
    }
}
