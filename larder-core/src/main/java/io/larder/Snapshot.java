package io.larder;

import io.larder.spi.StoredEntry;

/**
 * A cached value as {@link Larder#peek(Key, Class, Snapshot)} or {@link Larder#lookupStored}
 * read it, with the stored entry it came from, so that the next read of the same key can serve
 * it again without looking the key up while the store vouches for the entry ({@link
 * Larder#hitAgain}). Immutable.
 *
 * @param <T> the value's type
 */
public final class Snapshot<T> {
    final Key key;
    final Class<T> type;
    final StoredEntry entry;
    private final T value;
    private final Outcome outcome;

    Snapshot(Key key, Class<T> type, StoredEntry entry, T value, Outcome outcome) {
        this.key = key;
        this.type = type;
        this.entry = entry;
        this.value = value;
        this.outcome = outcome;
    }

    /** The key it was read for. */
    public Key key() {
        return key;
    }

    /** The value, {@code null} if that is what was cached. */
    public T value() {
        return value;
    }

    /**
     * How the read that made this snapshot found the value: {@link Outcome#HIT} (fresh) or
     * {@link Outcome#STALE}. A snapshot served again keeps the outcome of that first read.
     */
    public Outcome outcome() {
        return outcome;
    }

    /** Whether the value is fresh at {@code now} (epoch ms), not served stale. */
    public boolean freshAt(long now) {
        return now < entry.freshUntil();
    }
}
