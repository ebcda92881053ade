package io.larder.redis;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second node for the cross-JVM tests: a Larder on a memory near cache in front of Redis,
 * driven by lines on stdin ({@code get <id>}, {@code quit}), answering one line on stdout each,
 * marked with a leading '=' (log lines go to stdout too).
 */
public final class NodeMain {
    private NodeMain() {
    }

    /** Arguments: the Redis URI, the key prefix and the HMAC secret. */
    public static void main(String[] args) throws Exception {
        RedisStore redis = RedisStore.builder(args[0]).prefix(args[1])
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(10))
                .build();
        AtomicInteger loads = new AtomicInteger();
        try (Larder larder = Larder.builder()
                .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis))
                .hmacSecret(args[2].getBytes(StandardCharsets.UTF_8)).build()) {
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8));
            RedisServer.awaitReady(redis);
            System.out.println("=ready");
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "get" -> {
                        String id = words[1];
                        String value = larder.get(Key.of("posts", id), String.class,
                                Options.tags("post:" + id),
                                () -> "node2-load-" + loads.incrementAndGet());
                        System.out.println("=" + value);
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("=unknown command " + line);
                }
                System.out.flush();
            }
        }
    }
}
