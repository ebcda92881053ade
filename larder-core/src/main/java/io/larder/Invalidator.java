package io.larder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Applies invalidations: to loads under way (their values are returned, not stored), to the
 * store (a key removed, tag generations moved, a region's entries freed), then tells listeners.
 */
final class Invalidator {
    final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();
    private final Flights flights;
    private final SafeStore store;

    Invalidator(Flights flights, SafeStore store) {
        this.flights = flights;
        this.store = store;
    }

    void invalidate(Key key) {
        flights.invalidate(key);
        store.remove(key);
        notify(new Invalidation(Invalidation.Kind.KEY, key.encode()));
    }

    void invalidateTags(List<String> tags) {
        // "@any" moves first: a load that reads a named tag's new generation then also sees
        // "@any" moved (stamp reads it last), so it never records a generation that is
        // already current for a value read before the invalidation.
        List<String> all = new ArrayList<>(tags.size() + 1);
        all.add(RegionState.ANY_TAG);
        all.addAll(tags);
        store.invalidateTags(all, "tags " + tags);
        for (String tag : tags) {
            notify(new Invalidation(Invalidation.Kind.TAG, tag));
        }
    }

    void invalidateRegion(String region) {
        flights.invalidateRegion(region);
        store.invalidateTags(List.of(RegionState.ANY_TAG, RegionState.regionTag(region)),
                "region " + region);
        store.removeRegion(region);
        notify(new Invalidation(Invalidation.Kind.REGION, region));
    }

    private void notify(Invalidation invalidation) {
        for (Consumer<Invalidation> listener : listeners) {
            try {
                listener.accept(invalidation);
            } catch (RuntimeException e) {
                store.report("invalidation listener", "the listener missed it", e);
            }
        }
    }
}
