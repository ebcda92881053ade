package io.larder;

/** Wraps a checked exception thrown by a {@link Loader}; runtime exceptions are never wrapped. */
public final class LoadException extends RuntimeException {
    /** Wraps {@code cause}, thrown by the loader of {@code key}. */
    public LoadException(Key key, Throwable cause) {
        super("loader of " + key + " failed: " + cause, cause);
    }
}
