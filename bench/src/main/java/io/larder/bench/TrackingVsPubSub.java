package io.larder.bench;

import io.larder.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * The two ways a Redis tells one node of another's change, side by side on one redis-server of
 * its own: pub/sub (what {@code RedisStore} uses: node A publishes on the prefix's channel, B is
 * subscribed) and RESP3 client-side caching ({@code CLIENT TRACKING ON BCAST PREFIX}: A writes a
 * key of the prefix, as a tag counter's {@code INCRBY} would, and Redis pushes B an
 * {@code invalidate}). One sample is the time from A's command to B's listener; the two kinds
 * alternate, so the machine's load falls on both alike.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.larder.bench.TrackingVsPubSub [rounds]}.
 */
public final class TrackingVsPubSub {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TrackingVsPubSub() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        try (RedisServer server = RedisServer.start()) {
            RedisClient client = RedisClient.create(server.uri());
            try {
                long[][] delays = measure(client, rounds);
                System.out.printf(Locale.ROOT, "%d rounds each, one redis-server on loopback%n",
                        rounds);
                print("pub/sub (PUBLISH -> subscriber)", delays[0]);
                print("CLIENT TRACKING BCAST (INCRBY -> invalidate push)", delays[1]);
                System.out.printf(Locale.ROOT, "tracking / pub/sub, p50 %.2f, p99 %.2f%n",
                        ratio(delays[1], delays[0], 0.50), ratio(delays[1], delays[0], 0.99));
            } finally {
                client.shutdown();
            }
        }
    }

    private static long[][] measure(RedisClient client, int rounds) throws Exception {
        SynchronousQueue<Long> heard = new SynchronousQueue<>();
        try (StatefulRedisConnection<String, String> a = client.connect();
             StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
             StatefulRedisConnection<String, String> tracked = client.connect()) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    hand(heard);
                }
            });
            subscriber.sync().subscribe("bench:changes");
            tracked.addListener(message -> {
                if ("invalidate".equals(message.getType())) {
                    hand(heard);
                }
            });
            tracked.sync().clientTracking(TrackingArgs.Builder.enabled().bcast()
                    .prefixes("bench:tag:"));
            long[] pubsub = new long[rounds];
            long[] tracking = new long[rounds];
            int warmUp = Math.min(200, rounds);
            for (int i = -warmUp; i < rounds; i++) {
                long start = System.nanoTime();
                a.async().publish("bench:changes", "post:" + i);
                long pub = awaitHeard(heard) - start;
                start = System.nanoTime();
                a.async().incrby("bench:tag:post:" + (i & 63), 1);
                long track = awaitHeard(heard) - start;
                if (i >= 0) {
                    pubsub[i] = pub;
                    tracking[i] = track;
                }
            }
            Arrays.sort(pubsub);
            Arrays.sort(tracking);
            return new long[][] {pubsub, tracking};
        }
    }

    /** Hands the moment a message arrived to the measuring thread. */
    private static void hand(SynchronousQueue<Long> heard) {
        try {
            heard.offer(System.nanoTime(), WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long awaitHeard(SynchronousQueue<Long> heard) throws InterruptedException {
        Long at = heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (at == null) {
            throw new IllegalStateException("no message within " + WAIT);
        }
        return at;
    }

    private static void print(String what, long[] sorted) {
        System.out.printf(Locale.ROOT, "%-52s p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", what,
                at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static double ratio(long[] a, long[] b, double q) {
        return (double) at(a, q) / at(b, q);
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
