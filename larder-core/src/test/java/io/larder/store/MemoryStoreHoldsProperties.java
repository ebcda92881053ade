package io.larder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link MemoryStore#holds} vouches for an entry exactly while the store still holds it: after
 * any sequence of puts (with evictions by a small bound), removals, region removals, clears,
 * {@code invalidateAll}, region bounds and sweeps, every entry ever written answers
 * {@code holds == (get(key) == entry)}. A reader that keeps an entry and serves it again while
 * {@code holds} says so therefore never serves one the store let go.
 */
class MemoryStoreHoldsProperties {
    private static final List<String> REGIONS = List.of("posts", "users");

    @Property(tries = 300)
    void holdsExactlyTheEntriesTheStoreStillHas(@ForAll("operations") List<int[]> operations) {
        FakeClock clock = new FakeClock();
        MemoryStore store = MemoryStore.builder().maximumSize(6).build();
        store.bind(new StoreContext(clock, Optional.empty()));
        List<Key> keys = new ArrayList<>();
        List<StoredEntry> written = new ArrayList<>();
        for (int[] op : operations) {
            Key key = Key.of(REGIONS.get(op[1] % 2), op[1]);
            switch (op[0]) {
                case 0, 1, 2 -> {
                    long now = clock.millis();
                    StoredEntry entry = new StoredEntry(
                            Payload.ofValue("v" + written.size(), String.class,
                                    JsonCodec.standard()),
                            now, now + 1_000 * (1 + op[2]), now + 2_000 * (1 + op[2]), 0,
                            List.of(), new long[0]);
                    store.put(key, entry);
                    keys.add(key);
                    written.add(entry);
                }
                case 3 -> store.remove(key);
                case 4 -> store.removeRegion(key.region());
                case 5 -> store.clear();
                case 6 -> store.invalidateAll();
                case 7 -> store.boundRegion(key.region(), op[2] % 2 == 0 ? 3 : 0, 0);
                case 8 -> {
                    clock.advance(Duration.ofSeconds(op[2]));
                    store.sweep();
                }
                default -> throw new IllegalStateException("no operation " + op[0]);
            }
            for (int i = 0; i < written.size(); i++) {
                StoredEntry entry = written.get(i);
                boolean held = store.get(keys.get(i)) == entry;
                assertThat(store.holds(keys.get(i), entry))
                        .as("holds(%s, entry %d) after %s", keys.get(i), i, op[0])
                        .isEqualTo(held);
            }
        }
    }

    /**
     * Puts of one key racing each other (and removals): once they are done, every entry but the
     * one the store holds is retired. Fails when a put can replace an entry it did not retire.
     */
    @Example
    void racingPutsOfOneKeyRetireEveryEntryTheyReplace() throws Exception {
        MemoryStore store = MemoryStore.builder().maximumSize(100).build();
        store.bind(new StoreContext(new FakeClock(), Optional.empty()));
        Key key = Key.of("posts", 1);
        int threads = 4;
        int each = 5_000;
        List<StoredEntry> written = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < each; i++) {
                    StoredEntry entry = new StoredEntry(Payload.ofValue(id + ":" + i,
                            String.class, JsonCodec.standard()), 0, 1_000, 1_000, 0, List.of(),
                            new long[0]);
                    written.add(entry);
                    store.put(key, entry);
                    if (id == 0 && i % 100 == 0) {
                        store.remove(key);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        StoredEntry held = store.get(key);
        for (StoredEntry entry : written) {
            assertThat(store.holds(key, entry)).as("holds %s", entry).isEqualTo(entry == held);
        }
    }

    @Provide
    Arbitrary<List<int[]>> operations() {
        Arbitrary<int[]> op = Arbitraries.integers().between(0, 8)
                .flatMap(kind -> Arbitraries.integers().between(0, 9)
                        .flatMap(key -> Arbitraries.integers().between(0, 5)
                                .map(extra -> new int[] {kind, key, extra})));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }
}
