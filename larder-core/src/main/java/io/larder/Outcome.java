package io.larder;

/** How a lookup got its value. */
public enum Outcome {
    /** A fresh entry from the store. */
    HIT("hit"),
    /** A stale entry from the store, served at once while one background refresh runs. */
    STALE("stale"),
    /** Nothing usable was stored: the caller's own source loaded it, on the caller's thread. */
    LOADED("miss"),
    /** Nothing usable was stored: another caller's load (in this process or another) gave it. */
    JOINED("joined");

    private final String traceName;

    Outcome(String traceName) {
        this.traceName = traceName;
    }

    /** The outcome's name in a {@link Trace} span and a {@code Server-Timing} header. */
    public String traceName() {
        return traceName;
    }
}
