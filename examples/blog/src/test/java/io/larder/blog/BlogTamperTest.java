package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.StoreKind;
import io.larder.redis.RedisStore;
import io.larder.spi.Store;
import io.larder.store.DiskStore;
import io.larder.store.TieredStore;
import io.larder.testing.Services;
import io.larder.testing.Soak;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering with the blog's cache while it serves: bits flipped in, entries truncated, emptied or
 * swapped for another key's (authentic) entry, in the files under its cache folder and in the
 * values under its Redis key prefix. Every answer is the
 * right page (re-rendered from the database), each damaged entry read is counted as rejected,
 * and no visitor sees an error.
 */
class BlogTamperTest {
    private static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    Path dir;

    /** One way of damaging a cache's entries; returns how many it damaged. */
    private interface Damage {
        long apply(Random random) throws Exception;
    }

    @Test
    void damagedFiles_underTheCacheFolder_areRejected_andEveryPageIsRightAgain() throws Exception {
        try (TestDb db = TestDb.h2();
             BlogServer reference = BlogNode.start(db, dir.resolve("reference"), CacheMode.OFF,
                     StoreKind.MEMORY)) {
            List<BlogServer> servers = new ArrayList<>();
            try {
                for (CacheMode mode : List.of(CacheMode.QUERY, CacheMode.FRAGMENT,
                        CacheMode.PAGE)) {
                    servers.add(BlogNode.start(db, dir.resolve(mode.name()), mode,
                            StoreKind.FILE));
                }
                run("blog-tamper-files", reference, servers, random -> {
                    long damaged = 0;
                    for (BlogServer server : servers) {
                        List<Path> files = entryFiles(server.config().cacheDir());
                        List<byte[]> authentic = new ArrayList<>();
                        for (Path file : files) {
                            authentic.add(Files.readAllBytes(file));
                        }
                        for (int i = 0; i < files.size(); i++) {
                            Files.write(files.get(i), damage(authentic.get(i), authentic, random));
                            damaged++;
                        }
                    }
                    return damaged;
                }, server -> ((DiskStore) server.larder().store()).stats().corruptDropped());
            } finally {
                servers.forEach(BlogServer::close);
            }
        }
    }

    @Test
    void flippedRedisValues_underTheBlogsPrefix_areRejected_andEveryPageIsRightAgain()
            throws Exception {
        Services.requireRedis();
        RedisClient client = RedisClient.create(REDIS);
        try (TestDb db = TestDb.h2();
             BlogServer reference = BlogNode.start(db, dir.resolve("reference"), CacheMode.OFF,
                     StoreKind.MEMORY);
             StatefulRedisConnection<byte[], byte[]> connection =
                     client.connect(ByteArrayCodec.INSTANCE)) {
            List<BlogServer> servers = new ArrayList<>();
            try {
                for (CacheMode mode : List.of(CacheMode.QUERY, CacheMode.PAGE)) {
                    servers.add(BlogNode.start(db, dir.resolve("redis"), mode, StoreKind.REDIS,
                            REDIS));
                }
                // The prefix the blog uses: one per database (see Caching.larder).
                String prefix = "blog:" + servers.get(0).config().cacheDir().getFileName() + ":";
                RedisCommands<byte[], byte[]> redis = connection.sync();
                run("blog-tamper-redis", reference, servers, random -> {
                    long damaged = 0;
                    List<byte[]> keys = new ArrayList<>();
                    List<byte[]> authentic = new ArrayList<>();
                    for (byte[] key : entryKeys(redis, prefix)) {
                        byte[] value = redis.get(key);
                        if (value != null) {
                            keys.add(key);
                            authentic.add(value);
                        }
                    }
                    for (int i = 0; i < keys.size(); i++) {
                        redis.set(keys.get(i), damage(authentic.get(i), authentic, random),
                                SetArgs.Builder.keepttl());
                        damaged++;
                    }
                    // The nodes' memory near caches hold the good copies: drop them, so that
                    // the next reads go to Redis (as a restarted or new node's would).
                    for (BlogServer server : servers) {
                        Store near = ((TieredStore) server.larder().store()).near();
                        server.larder().stats().keySet().forEach(near::removeRegion);
                    }
                    return damaged;
                }, server -> ((RedisStore) ((TieredStore) server.larder().store()).far()).stats()
                        .badEntries());
            } finally {
                servers.forEach(BlogServer::close);
            }
        } finally {
            client.shutdown();
        }
    }

    /**
     * Rounds of: every page asked on every server (filling the caches), damage, every page asked
     * again concurrently; each answer compared with the uncached reference server's.
     */
    private static void run(String name, BlogServer reference, List<BlogServer> servers,
            Damage damage, ToLongFunction<BlogServer> rejections) throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String lang : List.of("en", "de", "fr", "es")) {
            for (String page : List.of("/" + lang + "/", "/" + lang + "/page/2")) {
                expected.put(page, Load.get(reference.url() + page).body());
            }
        }
        List<String> pages = new ArrayList<>(expected.keySet());
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int rounds = Soak.rounds(5, 300);
        long damaged = 0;
        long requests = 0;
        long rejectedBefore = servers.stream().mapToLong(rejections).sum();
        LongAdder wrong = new LongAdder();
        List<Throwable> failures = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (BlogServer server : servers) {
                pages.forEach(p -> Load.get(server.url() + p));
            }
            damaged += damage.apply(random);
            int n = pages.size() * servers.size() * 2;
            requests += n;
            failures.addAll(Load.parallel(4, n, i -> {
                BlogServer server = servers.get(i % servers.size());
                String page = pages.get(i / servers.size() % pages.size());
                HttpResponse<String> r = Load.get(server.url() + page);
                if (r.statusCode() != 200 || !r.body().equals(expected.get(page))) {
                    wrong.increment();
                }
            }));
        }
        long rejected = servers.stream().mapToLong(rejections).sum() - rejectedBefore;
        Map<String, Long> report = new LinkedHashMap<>();
        report.put("rounds", (long) rounds);
        report.put("entriesDamaged", damaged);
        report.put("rejectedOnRead", rejected);
        report.put("requestsAfterDamage", requests);
        report.put("wrongAnswers", wrong.sum());
        report.put("requestsThatThrew", (long) failures.size());
        Soak.report(name, report);

        assertThat(failures).as("seed %d", seed).isEmpty();
        assertThat(wrong.sum()).as("wrong answers (seed %d)", seed).isZero();
        assertThat(damaged).isPositive();
        // Two visitors may read one damaged entry before the first deletes it: both reject it.
        assertThat(rejected).as("damaged entries rejected on read").isPositive();
    }

    /**
     * {@code entry} damaged: one bit flipped (most often), truncated, emptied, or replaced by
     * another key's authentic entry (a page or query result served for the wrong key).
     */
    private static byte[] damage(byte[] entry, List<byte[]> all, Random random) {
        int how = random.nextInt(20);
        byte[] other = all.get(random.nextInt(all.size()));
        if (how < 12 && entry.length > 0) {
            byte[] bytes = entry.clone();
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            return bytes;
        } else if (how < 15) {
            return Arrays.copyOf(entry, random.nextInt(Math.max(1, entry.length)));
        } else if (how < 16 || other == entry || Arrays.equals(other, entry)) {
            return new byte[0];
        }
        return other.clone();
    }

    private static List<Path> entryFiles(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> cache.relativize(p).getNameCount() == 3)
                    .filter(p -> !p.getFileName().toString().contains(".")).toList();
        }
    }

    /** Entry keys under {@code prefix}: {@code <prefix><region>:<digest>} (not tags or locks). */
    private static List<byte[]> entryKeys(RedisCommands<byte[], byte[]> redis, String prefix) {
        List<byte[]> keys = new ArrayList<>();
        ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1000);
        KeyScanCursor<byte[]> cursor = redis.scan(match);
        while (true) {
            for (byte[] key : cursor.getKeys()) {
                String name = new String(key, StandardCharsets.UTF_8).substring(prefix.length());
                if (!name.contains("@") && name.matches("[a-z0-9-]+:[0-9a-f]+")) {
                    keys.add(key);
                }
            }
            if (cursor.isFinished()) {
                return keys;
            }
            cursor = redis.scan(ScanCursor.of(cursor.getCursor()), match);
        }
    }

}
