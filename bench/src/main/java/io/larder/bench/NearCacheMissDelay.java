package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.redis.RedisServer;
import io.larder.redis.RedisStore;
import java.time.Duration;
import java.util.Arrays;

/**
 * How long after a tag invalidation on node A node B's near cache misses: two nodes (each a
 * {@code Larder} on a memory near cache over its own {@code RedisStore}, as the blog runs), an
 * entry tagged {@code post:<i>} written by A and read twice by B (a near hit), then A's
 * {@code invalidateTag}; the time from A's call to B's first miss (B asks again and again, each
 * ask a near hit until B has heard the announcement) is one sample. Used by {@link ScaleOut}.
 */
final class NearCacheMissDelay {
    private static final Duration PATIENT = Duration.ofSeconds(2);
    private static final int WARM_UP = 50;

    private NearCacheMissDelay() {
    }

    /** The delays in nanoseconds of {@code rounds} invalidations on {@code uri}, sorted. */
    static long[] measure(String uri, int rounds) {
        String prefix = "miss-delay-" + System.nanoTime() + ":";
        RedisStore farA = RedisStore.builder(uri).prefix(prefix).commandTimeout(PATIENT)
                .connectTimeout(PATIENT).build();
        RedisStore farB = RedisStore.builder(uri).prefix(prefix).commandTimeout(PATIENT)
                .connectTimeout(PATIENT).build();
        try (Larder a = RedisFigures.nearCacheNode(farA);
             Larder b = RedisFigures.nearCacheNode(farB)) {
            RedisServer.awaitReady(farA);
            RedisServer.awaitReady(farB);
            long[] delays = new long[rounds];
            for (int i = -WARM_UP; i < rounds; i++) {
                Key key = Key.of("posts", i);
                Options tagged = Options.tags("post:" + i);
                a.get(key, String.class, tagged, () -> "written by A");
                b.get(key, String.class, tagged, () -> "written by B");
                b.get(key, String.class, tagged, () -> "written by B"); // now a near copy
                boolean[] missed = new boolean[1];
                long start = System.nanoTime();
                a.invalidateTag("post:" + i);
                while (!missed[0]) {
                    Thread.yield(); // a busy 2-core machine: let the client's threads run
                    b.get(key, String.class, tagged, () -> {
                        missed[0] = true;
                        return "reloaded by B";
                    });
                }
                if (i >= 0) {
                    delays[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(delays);
            return delays;
        }
    }

    /** {@code quantile} (0..1) of sorted nanoseconds, in milliseconds. */
    static double millis(long[] sorted, double quantile) {
        int index = Math.min(sorted.length - 1,
                Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1));
        return sorted[index] / 1e6;
    }
}
