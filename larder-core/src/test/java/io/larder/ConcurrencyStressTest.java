package io.larder;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.spi.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stress harness for single-flight and tag generations: writers bump a key's version in the
 * "database" and invalidate its tag; readers go through the cache. Checked on every operation:
 * no two loads of one key ever overlap, and a reader never sees a value older than a write whose
 * invalidation had returned before the read began.
 */
class ConcurrencyStressTest {
    private static final int KEYS = 8;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "tiered"})
    void readersAndWriters_noOverlappingLoads_noValueOlderThanACommittedWrite(String kind)
            throws Exception {
        Store store = kind.equals("memory") ? MemoryStore.builder().maximumSize(1_000).build()
                : TieredStore.of(MemoryStore.builder().maximumSize(4).build(),
                        MemoryStore.builder().maximumSize(1_000).build());
        Larder larder = Larder.builder().store(store).ttl(Duration.ofHours(1))
                .staleFor(Duration.ofHours(1)).build();
        AtomicLongArray database = new AtomicLongArray(KEYS);
        AtomicLongArray committed = new AtomicLongArray(KEYS);
        AtomicInteger[] loading = new AtomicInteger[KEYS];
        for (int i = 0; i < KEYS; i++) {
            loading[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger staleReads = new AtomicInteger();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                boolean writer = t < 3;
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 3_000; i++) {
                        int k = random.nextInt(KEYS);
                        if (writer) {
                            long version = database.incrementAndGet(k);
                            larder.invalidateTag("item:" + k);
                            committed.accumulateAndGet(k, version, Math::max);
                        } else {
                            long floor = committed.get(k);
                            long seen = larder.get(Key.of("items", k), Long.class,
                                    Options.tags("item:" + k), () -> {
                                if (loading[k].incrementAndGet() > 1) {
                                    overlaps.incrementAndGet();
                                }
                                try {
                                    return database.get(k);
                                } finally {
                                    loading[k].decrementAndGet();
                                }
                            });
                            reads.incrementAndGet();
                            if (seen < floor) {
                                staleReads.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
            larder.close();
        }

        assertThat(reads.get()).isEqualTo(9 * 3_000);
        assertThat(overlaps).hasValue(0);
        assertThat(staleReads).hasValue(0);
    }
}
