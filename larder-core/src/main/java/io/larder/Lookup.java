package io.larder;

/**
 * A value with how it was obtained: what an integration needs to report a hit or a miss without
 * guessing from threads or traces. Returned by {@link Larder#lookup}.
 *
 * @param value the value, {@code null} if that is what was cached or loaded
 * @param outcome whether it was a hit, a stale hit, a load by this caller, or another's load
 * @param <T> the value's type
 */
public record Lookup<T>(T value, Outcome outcome) {
    /** Checks the outcome. */
    public Lookup {
        java.util.Objects.requireNonNull(outcome, "outcome");
    }
}
