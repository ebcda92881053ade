package io.larder.redis;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.RegionStats;
import io.larder.testing.Soak;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reader threads spread over several Larder instances, each reading tagged posts through its
 * instance with a loader that stands in for the database; a read that throws, or returns
 * another post's text, is an error. For failover tests: the counts go to RELIABILITY.md.
 */
final class ReaderLoad {
    static final int KEYS = 50;
    private final List<Larder> instances;
    private final List<RedisStore> stores;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    final LongAdder reads = new LongAdder();
    final LongAdder loads = new LongAdder();
    final AtomicInteger version = new AtomicInteger(1);

    ReaderLoad(List<Larder> instances, List<RedisStore> stores) {
        this.instances = List.copyOf(instances);
        this.stores = List.copyOf(stores);
    }

    /** Starts {@code count} readers, round-robin over the instances. */
    void start(int count) {
        for (int t = 0; t < count; t++) {
            Larder instance = instances.get(t % instances.size());
            int seed = t;
            Thread thread = new Thread(() -> {
                int i = seed;
                while (running.get()) {
                    int id = i++ % KEYS;
                    try {
                        String value = read(instance, id);
                        if (!value.startsWith("post " + id + " v")) {
                            errors.add(new AssertionError("read " + value + " for post " + id));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                    reads.increment();
                }
            }, "reader-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    String read(Larder instance, int id) {
        return instance.get(Key.of("posts", id), String.class, Options.tags("posts"), () -> {
            loads.increment();
            return "post " + id + " v" + version.get();
        });
    }

    long hits() {
        long hits = 0;
        for (Larder instance : instances) {
            RegionStats stats = instance.stats().get("posts");
            hits += stats == null ? 0 : stats.hits();
        }
        return hits;
    }

    void awaitHitsGrowBy(long count) {
        long from = hits();
        RedisServer.awaitCondition("hits grow by " + count, () -> hits() >= from + count);
    }

    void awaitReadsGrowBy(long count) {
        long from = reads.sum();
        RedisServer.awaitCondition("reads grow by " + count, () -> reads.sum() >= from + count);
    }

    /** Stops the readers and waits for them. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    /**
     * Edits every post and invalidates the tag on the first instance; once every other instance
     * sees the new generation, every instance must read every post's new text.
     */
    List<String> editThenReadEverywhere() {
        // After a failover the first instance may still be catching up (its store then refuses
        // to tell generations, and an invalidation may fail): wait for it, and edit until the
        // invalidation is applied, as an application whose edit failed would retry it.
        long[] before = new long[1];
        RedisServer.awaitCondition("the first instance answers after the failover", () -> {
            try {
                before[0] = stores.get(0).generations(List.of("posts"))[0];
                return true;
            } catch (RedisUnavailableException e) {
                return false;
            }
        });
        long generation = before[0];
        version.incrementAndGet();
        Larder editor = instances.get(0);
        RedisServer.awaitCondition("the edit's invalidation is applied", () -> {
            long failed = editor.invalidationErrors();
            editor.invalidateTag("posts");
            return editor.invalidationErrors() == failed;
        });
        for (RedisStore store : stores) {
            RedisServer.awaitCondition("every instance sees the new generation", () -> {
                try {
                    return store.generations(List.of("posts"))[0] != generation;
                } catch (RedisUnavailableException e) {
                    return false; // catching up after the failover
                }
            });
        }
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            for (int id = 0; id < KEYS; id++) {
                String value = read(instances.get(i), id);
                if (!value.equals("post " + id + " v" + version.get())) {
                    stale.add("instance " + i + ": " + value);
                }
            }
        }
        return stale;
    }

    /** Writes the counts as {@code target/reliability/<name>.json}. */
    void report(String name, long staleAfterEdit) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("instances", (long) instances.size());
        counts.put("readerThreads", (long) threads.size());
        counts.put("reads", reads.sum());
        counts.put("readsFailedOrWrong", (long) errors.size());
        counts.put("databaseLoads", loads.sum());
        counts.put("hits", hits());
        counts.put("redisFailures", stores.stream().mapToLong(s -> s.stats().failures()).sum());
        counts.put("shortCircuited",
                stores.stream().mapToLong(s -> s.stats().shortCircuited()).sum());
        counts.put("breakerOpens", stores.stream().mapToLong(s -> s.stats().breakerOpens()).sum());
        counts.put("staleAfterEdit", staleAfterEdit);
        Soak.report(name, counts);
    }
}
