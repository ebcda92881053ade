package io.larder;

/**
 * What a {@link Source} loaded, and whether it may be kept: a value that may be stored and
 * shared with the callers waiting for the same key, or one for the loading caller alone (a
 * response that is private, an error page, a value that must not outlive the request). Immutable.
 *
 * @param <T> the value's type
 */
public final class Loaded<T> {
    private final T value;
    private final boolean kept;

    private Loaded(T value, boolean kept) {
        this.value = value;
        this.kept = kept;
    }

    /** A value to store and to share with every caller waiting for it ({@code null} included). */
    public static <T> Loaded<T> of(T value) {
        return new Loaded<>(value, true);
    }

    /**
     * A value returned to the caller whose source loaded it, and to nobody else: it is not
     * stored, and callers that were waiting for it load their own.
     */
    public static <T> Loaded<T> uncached(T value) {
        return new Loaded<>(value, false);
    }

    /** The value. */
    public T value() {
        return value;
    }

    /** Whether it may be stored and shared ({@link #of}), or is the loading caller's alone. */
    public boolean kept() {
        return kept;
    }
}
