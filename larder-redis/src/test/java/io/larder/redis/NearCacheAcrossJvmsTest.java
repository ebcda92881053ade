package io.larder.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs, each a Larder with a memory near cache in front of one Redis: what one node writes or
 * invalidates, the other's near cache stops serving.
 */
class NearCacheAcrossJvmsTest {
    private static final String SECRET = "near-cache-test-secret-0123456789";
    private static RedisServer server;
    private static Larder local;
    private static Process other;
    private static Writer toOther;
    private static final BlockingQueue<String> fromOther = new LinkedBlockingQueue<>();

    /** One Redis and one other JVM for the class (a JVM start is slow); tests use distinct keys. */
    @BeforeAll
    static void start() throws IOException, InterruptedException {
        server = RedisServer.start();
        RedisStore redis = RedisStore.builder(server.uri()).prefix("n:")
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(10))
                .build();
        local = Larder.builder()
                .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis))
                .hmacSecret(SECRET.getBytes(StandardCharsets.UTF_8)).build();
        RedisServer.awaitReady(redis);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName(), server.uri(), "n:", SECRET)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toOther = new OutputStreamWriter(other.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("=")) {
                        fromOther.add(line.substring(1));
                    }
                }
            } catch (IOException e) {
                fromOther.add("closed: " + e);
            }
        }, "other-node-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(fromOther.poll(60, TimeUnit.SECONDS)).isEqualTo("ready");
    }

    @AfterAll
    static void stop() throws Exception {
        if (other != null) {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (local != null) {
            local.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String otherGets(String id) throws IOException, InterruptedException {
        toOther.write("get " + id + "\n");
        toOther.flush();
        String answer = fromOther.poll(30, TimeUnit.SECONDS);
        assertThat(answer).as("the other node answers").isNotNull();
        return answer;
    }

    /** Asks the other node until its answer passes {@code test}; fails after 20 s. */
    private String otherEventuallyGets(String id, Predicate<String> test) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String answer;
        while (!test.test(answer = otherGets(id))) {
            assertThat(System.nanoTime()).as("the other node still answers " + answer)
                    .isLessThan(deadline);
            Thread.sleep(2);
        }
        return answer;
    }

    private String localGets(String id, String loaded) {
        return local.get(Key.of("posts", id), String.class, Options.tags("post:" + id),
                () -> loaded);
    }

    @Test
    void put_onOneNode_replacesTheOtherNodesNearCopy() throws Exception {
        assertThat(localGets("1", "v1")).isEqualTo("v1");
        assertThat(otherGets("1")).as("read from Redis, now near").isEqualTo("v1");
        assertThat(otherGets("1")).isEqualTo("v1");

        local.put(Key.of("posts", "1"), "v2", Options.tags("post:1"));

        assertThat(otherEventuallyGets("1", "v2"::equals)).isEqualTo("v2");
    }

    @Test
    void invalidateTag_onOneNode_missesOnTheOther() throws Exception {
        localGets("2", "v1");
        assertThat(otherGets("2")).isEqualTo("v1");

        local.invalidateTag("post:2");

        String reloaded = otherEventuallyGets("2", answer -> answer.startsWith("node2-load-"));
        // A reload that overlapped the invalidation's announcement is served but not stored
        // (never stale): ask until the other node answers the same reload twice, i.e. stored.
        String[] last = {reloaded};
        String stored = otherEventuallyGets("2", answer -> {
            boolean same = answer.equals(last[0]);
            last[0] = answer;
            return same;
        });
        assertThat(stored).startsWith("node2-load-");
        // Until the other node's write is announced here, this node's own (invalidated) near
        // copy is a miss: its loader fails, and the read is asked again.
        String shared = null;
        for (int attempt = 0; shared == null; attempt++) {
            try {
                shared = local.get(Key.of("posts", "2"), String.class, Options.tags("post:2"),
                        () -> {
                            throw new IllegalStateException("not announced yet");
                        });
            } catch (RuntimeException e) {
                if (attempt > 5_000) {
                    throw e;
                }
                Thread.sleep(2);
            }
        }
        assertThat(shared).as("the other node's reload is shared").isEqualTo(stored);
    }

    @Test
    void invalidateRegionAndKey_onOneNode_missOnTheOther() throws Exception {
        localGets("3", "v1");
        localGets("4", "v1");
        assertThat(otherGets("3")).isEqualTo("v1");
        assertThat(otherGets("4")).isEqualTo("v1");

        local.invalidate(Key.of("posts", "3"));
        assertThat(otherEventuallyGets("3", answer -> !answer.equals("v1")))
                .startsWith("node2-load-");

        local.invalidateRegion("posts");
        assertThat(otherEventuallyGets("4", answer -> !answer.equals("v1")))
                .startsWith("node2-load-");
    }
}
