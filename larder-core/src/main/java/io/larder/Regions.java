package io.larder;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The regions a {@link Larder} knows, with their settings and counters. */
final class Regions {
    private final ConcurrentMap<String, RegionState> states = new ConcurrentHashMap<>();
    private final Region defaults;
    private final boolean strict;

    Regions(Region defaults, boolean strict) {
        this.defaults = defaults;
        this.strict = strict;
    }

    /** Configures {@code region}, replacing its settings if it had some (not its counters). */
    Region configure(Region region) {
        states.compute(region.name(), (name, state) -> {
            if (state == null) {
                return new RegionState(region);
            }
            state.configure(region);
            return state;
        });
        return region;
    }

    /** The settings regions that were not configured get. */
    Region defaults() {
        return defaults;
    }

    /**
     * The state of {@code name}: its own if configured, else one made from the defaults.
     *
     * @throws IllegalArgumentException if the regions are strict and {@code name} is unknown
     */
    RegionState state(String name) {
        RegionState state = states.get(name);
        if (state != null) {
            return state;
        }
        if (strict) {
            throw new IllegalArgumentException("region '" + name + "' was not configured, and"
                    + " this Larder has strictRegions(): configure it with .region(\"" + name
                    + "\", r -> r.ttl(...)) on its builder");
        }
        Region region = new Region(name, defaults.ttl(), defaults.staleFor(), defaults.codec(),
                Set.of(), defaults.earlyRefresh());
        return states.computeIfAbsent(name, n -> new RegionState(region));
    }

    /** Every region used or configured so far, by name. */
    Map<String, RegionState> all() {
        return states;
    }
}
