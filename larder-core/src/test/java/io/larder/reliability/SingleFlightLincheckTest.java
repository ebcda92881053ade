package io.larder.reliability;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.MemoryStore;
import io.larder.testing.Soak;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on a Larder's single-flight and tag invalidation: concurrent {@code get}s (single
 * and bulk) of one key and {@code invalidateTag}s of its tag must be linearizable against this
 * class run sequentially, where the n-th load of a key returns "v<n>" (and "w<n>" for the other
 * key). So two gets that overlap share one load
 * (else a second load would return "v2" without an invalidation between), and a get that
 * begins after an invalidation returned never sees the value from before it. (Numbering the
 * loads of both keys together is not linearizable and Lincheck says so: loads of two keys may
 * start in one order and take effect in the other.)
 */
public class SingleFlightLincheckTest {
    private static final Key KEY = Key.of("posts", 1);
    private static final Key OTHER = Key.of("posts", 2);
    private static final Options TAGGED = Options.tags("posts");
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger otherLoads = new AtomicInteger();
    private final Larder larder = Larder.builder()
            .store(MemoryStore.builder().maximumSize(100).build())
            .refreshExecutor(Runnable::run)
            .build();

    /** Reads the key; the loader numbers its runs. */
    @Operation
    public String get() {
        return larder.get(KEY, String.class, TAGGED, () -> "v" + loads.incrementAndGet());
    }

    /**
     * Reads the key through the bulk path, whose loads share the key's flights and numbering.
     * (A bulk get of both keys is not atomic and is not checked: a tag invalidated between its
     * reads of the two keys is seen by one and not the other, as with any multi-key read.)
     */
    @Operation
    public String getAll() {
        return larder.getAll(List.of(KEY), String.class, TAGGED,
                keys -> Map.of(KEY, "v" + loads.incrementAndGet())).get(KEY);
    }

    /** Reads another key under the same tag, whose loads are numbered apart. */
    @Operation
    public String getOther() {
        return larder.get(OTHER, String.class, TAGGED, () -> "w" + otherLoads.incrementAndGet());
    }

    /** Invalidates the tag of both keys. */
    @Operation
    public void invalidate() {
        larder.invalidateTag("posts");
    }

    /**
     * Stress mode: 3 threads of 3 operations, after and before 5 sequential ones, each scenario
     * run many times on real threads. (Lincheck's model checking does not run this code here:
     * see RELIABILITY.md.)
     */
    @Test
    void stress() {
        int scenarios = Soak.rounds(6, 300);
        int invocations = 1_000;
        new StressOptions().iterations(scenarios).invocationsPerIteration(invocations)
                .threads(3).actorsPerThread(3).check(getClass());
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("scenarios", scenarios);
        counts.put("invocations", scenarios * invocations);
        counts.put("nonLinearizable", 0); // check() throws on the first one
        Soak.report("lincheck-single-flight-and-tags", counts);
    }
}
