package io.larder;

/**
 * How an integration loads a value: {@link #load()} for a caller that missed, on that caller's
 * own thread (so it may use the caller's request, session or template context), and
 * {@link #refresh()} to replace a stale or soon-stale entry on a background thread, with no
 * caller to borrow from (as Caffeine's {@code reload}). Either may return a value that is not to
 * be kept ({@link Loaded#uncached}). Exceptions follow {@link Loader}'s rules.
 *
 * <pre>{@code
 * Lookup<Page> page = larder.lookup(key, Page.class, Options.NONE, new Source<>() {
 *     public Loaded<Page> load() { return render(request); }          // this request's thread
 *     public Loaded<Page> refresh() { return render(describe(request)); } // any thread
 * });
 * }</pre>
 *
 * @param <T> the value's type
 */
public interface Source<T> {
    /** Loads the value for the caller that missed, on its thread. */
    Loaded<? extends T> load() throws Exception;

    /**
     * Loads the value again in the background, to replace an entry that is stale or about to be;
     * by default as {@link #load()}. Its failure keeps the old entry (stale-if-error).
     */
    default Loaded<? extends T> refresh() throws Exception {
        return load();
    }

    /** A source whose every load, first or refresh, is {@code loader}'s, always kept. */
    static <T> Source<T> of(Loader<? extends T> loader) {
        return () -> Loaded.of(loader.load());
    }
}
