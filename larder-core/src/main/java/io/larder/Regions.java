package io.larder;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The regions a {@link Larder} knows, with their settings and counters. */
final class Regions {
    private final ConcurrentMap<String, RegionState> states = new ConcurrentHashMap<>();
    private final Region defaults;

    Regions(Region defaults) {
        this.defaults = defaults;
    }

    void configure(Region region) {
        states.put(region.name(), new RegionState(region));
    }

    /** The state of {@code name}: its own if configured, else one made from the defaults. */
    RegionState state(String name) {
        RegionState state = states.get(name);
        if (state != null) {
            return state;
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
