package io.larder.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.TypeRef;
import io.larder.codec.JsonCodec;
import io.larder.spi.Payload;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} keeps, written once: a store's test extends this class and
 * says how to make a fresh, empty store. Two instances made by {@link #newStore()} in one test
 * must be independent unless {@link #sharesState()} says they see the same data.
 */
public abstract class StoreContract {
    /** A record as an application would cache it. */
    public record PostView(long id, String title, List<String> tags) { }

    protected final FakeClock clock = new FakeClock();
    protected Store store;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A new, empty store, not yet bound. */
    protected abstract Store newStore() throws Exception;

    /** A context to bind stores to: the fake clock and a test secret. */
    protected StoreContext context() {
        return new StoreContext(clock, Optional.of("contract-test-secret-0123456789".getBytes()));
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
        store.bind(context());
        closeables.add(store);
    }

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A Larder on this test's store (closed after the test). */
    protected Larder larder() {
        Larder larder = Larder.builder().store(store).clock(clock)
                .hmacSecret("contract-test-secret-0123456789".getBytes())
                .refreshExecutor(Runnable::run).build();
        return larder;
    }

    protected StoredEntry entry(Object value, Class<?> type, List<String> tags,
            long[] generations) {
        long now = clock.millis();
        return new StoredEntry(Payload.ofValue(value, type, JsonCodec.standard()), now,
                now + 60_000, now + 120_000, 1234, tags, generations);
    }

    protected static Object valueOf(StoredEntry entry, Class<?> type) throws IOException {
        return entry.payload().value(type, JsonCodec.standard());
    }

    @Test
    void get_missingKey_isNull() {
        assertThat(store.get(Key.of("posts", 1))).isNull();
    }

    @Test
    void put_thenGet_keepsValueTimesAndTags() throws Exception {
        Key key = Key.of("posts", "de", 1);
        StoredEntry written = entry("Hallo, Welt", String.class, List.of("posts", "lang:de"),
                new long[] {3, 0});
        store.put(key, written);

        StoredEntry read = store.get(key);

        assertThat(read).isNotNull();
        assertThat(valueOf(read, String.class)).isEqualTo("Hallo, Welt");
        assertThat(read.createdAt()).isEqualTo(written.createdAt());
        assertThat(read.freshUntil()).isEqualTo(written.freshUntil());
        assertThat(read.usableUntil()).isEqualTo(written.usableUntil());
        assertThat(read.computeNanos()).isEqualTo(1234);
        assertThat(read.tags()).containsExactly("posts", "lang:de");
        assertThat(read.generations()).containsExactly(3, 0);
    }

    @Test
    void put_recordList_roundTripsThroughTheCodec() throws Exception {
        Key key = Key.of("home-posts", "en", 1);
        List<PostView> posts = List.of(new PostView(1, "First", List.of("a")),
                new PostView(2, "Zweiter ✓", List.of()));
        TypeRef<List<PostView>> type = new TypeRef<>() { };
        long now = clock.millis();
        store.put(key, new StoredEntry(Payload.ofValue(posts, type.type(), JsonCodec.standard()),
                now, now + 1000, now + 1000, 0, List.of(), new long[0]));

        Object read = store.get(key).payload().value(type.type(), JsonCodec.standard());

        assertThat(read).isEqualTo(posts);
    }

    @Test
    void put_largeAndEmptyValues_roundTrip() throws Exception {
        String large = "x".repeat(64 * 1024);
        store.put(Key.of("pages", "large"), entry(large, String.class, List.of(), new long[0]));
        store.put(Key.of("pages", "empty"), entry("", String.class, List.of(), new long[0]));

        assertThat(valueOf(store.get(Key.of("pages", "large")), String.class)).isEqualTo(large);
        assertThat(valueOf(store.get(Key.of("pages", "empty")), String.class)).isEqualTo("");
    }

    @Test
    void put_sameKey_replaces() throws Exception {
        Key key = Key.of("posts", 7);
        store.put(key, entry("old", String.class, List.of(), new long[0]));
        store.put(key, entry("new", String.class, List.of(), new long[0]));

        assertThat(valueOf(store.get(key), String.class)).isEqualTo("new");
    }

    @Test
    void keys_thatJoinToTheSameText_doNotCollide() throws Exception {
        store.put(Key.of("posts", "a:b", "c"), entry("one", String.class, List.of(), new long[0]));
        store.put(Key.of("posts", "a", "b:c"), entry("two", String.class, List.of(), new long[0]));
        store.put(Key.of("posts", (Object) null),
                entry("three", String.class, List.of(), new long[0]));
        store.put(Key.of("posts", "null"), entry("four", String.class, List.of(), new long[0]));

        assertThat(valueOf(store.get(Key.of("posts", "a:b", "c")), String.class)).isEqualTo("one");
        assertThat(valueOf(store.get(Key.of("posts", "a", "b:c")), String.class)).isEqualTo("two");
        assertThat(valueOf(store.get(Key.of("posts", (Object) null)), String.class))
                .isEqualTo("three");
        assertThat(valueOf(store.get(Key.of("posts", "null")), String.class)).isEqualTo("four");
    }

    @Test
    void remove_dropsOnlyThatKey() throws Exception {
        store.put(Key.of("posts", 1), entry("one", String.class, List.of(), new long[0]));
        store.put(Key.of("posts", 2), entry("two", String.class, List.of(), new long[0]));

        store.remove(Key.of("posts", 1));
        store.remove(Key.of("posts", 99));

        assertThat(store.get(Key.of("posts", 1))).isNull();
        assertThat(store.get(Key.of("posts", 2))).isNotNull();
    }

    @Test
    void removeRegion_dropsOnlyThatRegion() {
        store.put(Key.of("posts", 1), entry("one", String.class, List.of(), new long[0]));
        store.put(Key.of("sidebar", 1), entry("side", String.class, List.of(), new long[0]));

        store.removeRegion("posts");

        assertThat(store.get(Key.of("posts", 1))).isNull();
        assertThat(store.get(Key.of("sidebar", 1))).isNotNull();
    }

    @Test
    void clear_dropsEveryEntry_keepsGenerations_andTheStoreStaysUsable() {
        store.put(Key.of("posts", 1), entry("one", String.class, List.of(), new long[0]));
        store.put(Key.of("sidebar", 1), entry("side", String.class, List.of(), new long[0]));
        store.invalidateTags(List.of("posts"));
        long[] before = store.generations(List.of("posts"));

        store.clear();

        assertThat(store.get(Key.of("posts", 1))).isNull();
        assertThat(store.get(Key.of("sidebar", 1))).isNull();
        assertThat(store.generations(List.of("posts"))).containsExactly(before);
        store.put(Key.of("posts", 2), entry("two", String.class, List.of(), new long[0]));
        assertThat(store.get(Key.of("posts", 2))).isNotNull();
    }

    @Test
    void generations_moveForwardOnlyForInvalidatedTags() {
        long[] start = store.generations(List.of("posts", "lang:de", "post:42"));

        store.invalidateTags(List.of("posts"));
        long once = store.generations(List.of("posts"))[0];
        store.invalidateTags(List.of("posts"));

        // Forward, by a step of the store's choosing (RedisStore's is random: a counter set back
        // by a failover must not come back to a value it had).
        long[] now = store.generations(List.of("posts", "lang:de", "post:42"));
        assertThat(once).isGreaterThan(start[0]);
        assertThat(now[0]).isGreaterThan(once);
        assertThat(now[1]).isEqualTo(start[1]);
        assertThat(now[2]).isEqualTo(start[2]);
    }

    @Test
    void invalidateAll_movesEveryGeneration_evenOfTagsNeverSeen() {
        List<String> tags = List.of("posts", "lang:de", "never-read-before-" + clock.millis());
        long[] before = store.generations(tags.subList(0, 2));
        store.invalidateTags(List.of("posts"));
        long[] invalidated = store.generations(tags.subList(0, 2));
        StoredEntry written = entry("old", String.class, tags.subList(0, 2), invalidated);

        store.invalidateAll();

        long[] after = store.generations(tags.subList(0, 2));
        assertThat(after[0]).isNotIn(before[0], invalidated[0]);
        assertThat(after[1]).isNotEqualTo(before[1]);
        assertThat(written.matches(after)).as("an entry written before").isFalse();
        store.invalidateTags(List.of("posts"));
        assertThat(store.generations(List.of("posts"))[0]).isGreaterThan(after[0]);
    }

    @Test
    void markers_keepTheLastValueByName_andAreEmptyUntilWritten() {
        assertThat(store.marker("larder.test.position")).isEmpty();

        store.marker("larder.test.position", 41);
        store.marker("larder.test.position", 42);
        store.marker("larder.test.other", -7);

        assertThat(store.marker("larder.test.position")).hasValue(42);
        assertThat(store.marker("larder.test.other")).hasValue(-7);
        assertThat(store.marker("larder.test.never")).isEmpty();
    }

    @Test
    void markers_badNames_areRejected() {
        for (String name : new String[] {"", "../x", "a b", "a/b", "x".repeat(65), "é"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.marker(name, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void getAll_returnsOnlyPresentKeys() {
        store.put(Key.of("posts", 1), entry("one", String.class, List.of(), new long[0]));
        store.put(Key.of("posts", 3), entry("three", String.class, List.of(), new long[0]));

        Map<Key, StoredEntry> found = store.getAll(
                List.of(Key.of("posts", 1), Key.of("posts", 2), Key.of("posts", 3)));

        assertThat(found).containsOnlyKeys(Key.of("posts", 1), Key.of("posts", 3));
    }

    @Test
    void concurrentWritersAndReaders_onlyEverSeeAWrittenValue() throws Exception {
        Key key = Key.of("posts", "contended");
        Set<String> written = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        String value = "w" + writer + "-" + i + "-" + "y".repeat(i * 37);
                        written.add(value);
                        store.put(key, entry(value, String.class, List.of(), new long[0]));
                    }
                    return null;
                }));
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        StoredEntry e = store.get(key);
                        if (e != null) {
                            assertThat(written).contains((String) valueOf(e, String.class));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void larder_loadsOnce_thenServesHits() {
        Larder larder = larder();
        AtomicInteger loads = new AtomicInteger();
        Key key = Key.of("home-posts", "en", 1);
        TypeRef<List<PostView>> type = new TypeRef<>() { };

        for (int i = 0; i < 3; i++) {
            List<PostView> posts = larder.get(key, type, () -> {
                loads.incrementAndGet();
                return List.of(new PostView(1, "Hello", List.of("x")));
            });
            assertThat(posts).containsExactly(new PostView(1, "Hello", List.of("x")));
        }

        assertThat(loads).hasValue(1);
        assertThat(larder.stats().get("home-posts").hits()).isEqualTo(2);
    }

    @Test
    void larder_tagInvalidation_missesTaggedEntriesOnly() {
        Larder larder = larder();
        AtomicInteger loads = new AtomicInteger();
        larder.get(Key.of("posts", 1), String.class, Options.tags("post:1"),
                () -> "p1-v" + loads.incrementAndGet());
        larder.get(Key.of("posts", 2), String.class, Options.tags("post:2"),
                () -> "p2-v" + loads.incrementAndGet());
        // A hit first: a store may remember that it found the entry current (MemoryStore does).
        assertThat(larder.get(Key.of("posts", 1), String.class, Options.tags("post:1"),
                () -> "unused")).isEqualTo("p1-v1");

        larder.invalidateTag("post:1");

        assertThat(larder.get(Key.of("posts", 1), String.class, Options.tags("post:1"),
                () -> "p1-reloaded")).isEqualTo("p1-reloaded");
        assertThat(larder.get(Key.of("posts", 2), String.class, Options.tags("post:2"),
                () -> "p2-reloaded")).isEqualTo("p2-v2");
    }

    @Test
    void larder_regionInvalidation_missesThatRegionOnly() {
        Larder larder = larder();
        larder.get(Key.of("posts", 1), String.class, () -> "post");
        larder.get(Key.of("sidebar", 1), String.class, () -> "side");

        larder.invalidateRegion("posts");

        assertThat(larder.get(Key.of("posts", 1), String.class, () -> "post-reloaded"))
                .isEqualTo("post-reloaded");
        assertThat(larder.get(Key.of("sidebar", 1), String.class, () -> "side-reloaded"))
                .isEqualTo("side");
    }

    /** Regression: an object read as String or byte[] returned Larder's internal bytes. */
    @Test
    void larder_valueReadAsAnotherType_isAMissAndLoads() {
        Larder larder = larder();
        larder.put(Key.of("r", "int"), 42);
        larder.put(Key.of("r", "list"), List.of("a", "b"));

        assertThat(larder.get(Key.of("r", "int"), String.class, () -> "loaded"))
                .isEqualTo("loaded");
        assertThat(larder.get(Key.of("r", "list"), byte[].class, () -> new byte[] {7}))
                .containsExactly(7);
        assertThat(larder.get(Key.of("r", "int"), String.class, () -> "again"))
                .isEqualTo("loaded");
    }

    @Test
    void larder_nullValue_isCachedAsAValue() {
        Larder larder = larder();
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            String value = larder.get(Key.of("lookups", "absent"), String.class, () -> {
                loads.incrementAndGet();
                return null;
            });
            assertThat(value).isNull();
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void larder_expiredEntry_isLoadedAgain() {
        Larder larder = larder();
        Options options = Options.ttlOf(Duration.ofSeconds(10));
        larder.get(Key.of("posts", 1), String.class, options, () -> "v1");
        clock.advance(Duration.ofSeconds(11));

        assertThat(larder.get(Key.of("posts", 1), String.class, options, () -> "v2"))
                .isEqualTo("v2");
    }
}
