package io.larder.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry as a store keeps it: the payload, its times (epoch milliseconds), how long it took to
 * compute, and the tags it was written under with their generations. An entry whose recorded
 * generation of any tag differs from the store's current one is a miss. Immutable, but for one
 * memo a store may keep on it (as {@code String} keeps its hash): the state of the store in
 * which it last found the entry's generations current.
 */
public final class StoredEntry {
    private final Payload payload;
    private final long createdAt;
    private final long freshUntil;
    private final long usableUntil;
    private final long computeNanos;
    private final List<String> tags;
    private final long[] generations;
    private final boolean untagged;
    private volatile Object currentIn;
    private volatile Object readFrom;
    private volatile boolean retired;

    /**
     * An entry.
     *
     * @param payload the value
     * @param createdAt when it was written, epoch ms
     * @param freshUntil until when it is fresh, epoch ms
     * @param usableUntil until when it may be served stale, epoch ms, not before {@code freshUntil}
     * @param computeNanos how long its loader took (drives early refresh)
     * @param tags the tags it was written under
     * @param generations the generation of each tag when its value was computed
     */
    public StoredEntry(Payload payload, long createdAt, long freshUntil, long usableUntil,
            long computeNanos, List<String> tags, long[] generations) {
        this.payload = Objects.requireNonNull(payload, "payload");
        if (usableUntil < freshUntil) {
            throw new IllegalArgumentException(
                    "usableUntil " + usableUntil + " < freshUntil " + freshUntil);
        }
        if (tags.size() != generations.length) {
            throw new IllegalArgumentException(
                    tags.size() + " tags but " + generations.length + " generations");
        }
        this.createdAt = createdAt;
        this.freshUntil = freshUntil;
        this.usableUntil = usableUntil;
        this.computeNanos = computeNanos;
        this.tags = List.copyOf(tags);
        this.generations = generations.clone();
        this.untagged = tags.isEmpty();
    }

    /** The value. */
    public Payload payload() {
        return payload;
    }

    /** When it was written, epoch ms. */
    public long createdAt() {
        return createdAt;
    }

    /** Until when it is fresh, epoch ms. */
    public long freshUntil() {
        return freshUntil;
    }

    /** Until when it may be served stale, epoch ms. */
    public long usableUntil() {
        return usableUntil;
    }

    /** How long its loader took, in nanoseconds. */
    public long computeNanos() {
        return computeNanos;
    }

    /** The tags it was written under. */
    public List<String> tags() {
        return tags;
    }

    /** The generation of tag {@code i} of {@link #tags()}, without copying them all. */
    public long generation(int i) {
        return generations[i];
    }

    /** The generation of each tag, in the order of {@link #tags()}. */
    public long[] generations() {
        return generations.clone();
    }

    /** Whether the given current generations (in tag order) are the ones this entry recorded. */
    public boolean matches(long[] current) {
        return Arrays.equals(generations, current);
    }

    /**
     * Whether a store already found this entry's generations current in the state it names by
     * {@code stamp}: an object the store replaces whenever any generation moves, so that a hit
     * need not look every tag up again while nothing moved.
     */
    public boolean foundCurrentIn(Object stamp) {
        return currentIn == stamp;
    }

    /** Remembers that a store found this entry current in the state named by {@code stamp}. */
    public void markCurrentIn(Object stamp) {
        currentIn = stamp;
    }

    /**
     * Remembers that a store read this entry from {@code origin}: an object of the store's own
     * that stands for what it read (the file store's record of a file's bytes and identity), so
     * that {@link Store#holds} can later check that the key still holds that very thing. Set
     * before the entry is handed out; another store's mark replaces it, which only makes the
     * first store's check fail.
     */
    public void markReadFrom(Object origin) {
        readFrom = origin;
    }

    /** Whether a store {@linkplain #markReadFrom marked} this entry as read from {@code origin}. */
    public boolean readFrom(Object origin) {
        return origin != null && readFrom == origin;
    }

    /**
     * Marks that a store no longer holds this entry (replaced, removed, evicted, cleared). A store
     * that answers {@link Store#holds} from this mark sets it before the entry can be seen gone.
     * Never undone.
     */
    public void retire() {
        retired = true;
    }

    /** Whether a store {@linkplain #retire() let this entry go}. */
    public boolean retired() {
        return retired;
    }

    /** Whether it has no tags (and so needs no generation check). */
    public boolean untagged() {
        return untagged;
    }

    /** The same entry with another payload object (for a tier that copies payloads). */
    public StoredEntry withPayload(Payload other) {
        return new StoredEntry(other, createdAt, freshUntil, usableUntil, computeNanos, tags,
                generations);
    }

    @Override
    public String toString() {
        return "StoredEntry[fresh until " + freshUntil + ", usable until " + usableUntil
                + ", tags " + tags + " @ " + Arrays.toString(generations) + "]";
    }
}
