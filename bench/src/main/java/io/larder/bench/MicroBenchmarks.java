package io.larder.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH benchmarks behind the report's store bars, run with short settings (one fork, one
 * warm-up and {@code iterations} measured iterations of {@code seconds} each): memory store vs raw
 * Caffeine ({@link CoreBench}), DiskStore vs {@code Files.readAllBytes} and Ehcache 3's disk tier
 * ({@link DiskStoreBench}), RedisStore vs raw Lettuce ({@link RedisBench}) and the fragment tag
 * ({@link FragmentBench}). Longer runs: {@code java -jar benchmarks.jar <name>} (bench/README.md).
 */
final class MicroBenchmarks {
    private MicroBenchmarks() {
    }

    /**
     * Runs them and returns every score under a stable name ({@code <benchmark>[.<size>]}, in the
     * benchmark's own unit) followed by the ratios; JMH's JSON goes to {@code jmhJson}.
     *
     * @param redisUri the Redis server for {@link RedisBench}, or {@code null} to leave it out
     */
    static Map<String, Double> run(String redisUri, int seconds, int iterations, Path jmhJson)
            throws RunnerException {
        StringBuilder include = new StringBuilder(
                "CoreBench\\.(caffeineHit|storeHit)$"
                + "|DiskStoreBench\\.(readAllBytes|fileStoreHit|ehcacheDiskHit)$"
                + "|FragmentBench\\.(cachedList|noTag)$");
        if (redisUri != null) {
            include.append("|RedisBench\\.(rawLettuceGet|redisStoreGet)$");
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(include.toString())
                .forks(1).jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR")
                .warmupIterations(1).measurementIterations(iterations)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementTime(TimeValue.seconds(seconds))
                .result(jmhJson.toString()).resultFormat(ResultFormatType.JSON)
                .verbosity(VerboseMode.SILENT);
        if (redisUri != null) {
            options.param("uri", redisUri);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            String name = method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1)
                    + 1);
            String size = result.getParams().getParam("size");
            double score = result.getPrimaryResult().getScore();
            if (result.getParams().getTimeUnit() == TimeUnit.MICROSECONDS
                    && result.getPrimaryResult().getScoreUnit().startsWith("ops/")) {
                name += ".ops_per_us";
            }
            scores.put(size == null ? name : name + "." + size, score);
        }
        ratio(scores, "memory_store_hit_per_caffeine_hit", "CoreBench.storeHit.ops_per_us",
                "CoreBench.caffeineHit.ops_per_us");
        for (String size : new String[] {"1024", "65536"}) {
            ratio(scores, "file_store_hit_per_read_all_bytes." + size,
                    "DiskStoreBench.fileStoreHit." + size, "DiskStoreBench.readAllBytes." + size);
            ratio(scores, "ehcache_disk_hit_per_read_all_bytes." + size,
                    "DiskStoreBench.ehcacheDiskHit." + size, "DiskStoreBench.readAllBytes." + size);
        }
        ratio(scores, "redis_store_hit_per_lettuce_get", "RedisBench.redisStoreGet",
                "RedisBench.rawLettuceGet");
        ratio(scores, "fragment_cached_per_no_tag", "FragmentBench.cachedList",
                "FragmentBench.noTag");
        return scores;
    }

    private static void ratio(Map<String, Double> scores, String name, String over,
            String under) {
        Double a = scores.get(over);
        Double b = scores.get(under);
        if (a != null && b != null && b > 0) {
            scores.put(name, a / b);
        }
    }
}
